import Foundation
import Testing

/// scripts/test-forward-proxy in one of its modes, on a free loopback port: a forward proxy that alone
/// resolves `dynamodb.test`, or a TLS front of the local server with a certificate of the test's CA.
final class TestNetworkServer {
    let port: Int
    let logPath: String
    private let pid: Int32
    private let directory: String

    init(_ arguments: [String]) throws {
        directory = NSTemporaryDirectory() + "netserver-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let portFile = directory + "/port"
        logPath = directory + "/log"
        // Through a shell that returns at once, as DelayProxy starts its proxy.
        let command =
            ([CommandRunner.repositoryRoot + "/scripts/test-forward-proxy"] + arguments + [
                "--port-file", portFile,
            ])
            .map { "'\($0)'" }.joined(separator: " ")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = [
            "-c", "\(command) </dev/null >/dev/null 2>'\(logPath)' & echo $! > '\(directory)/pid'",
        ]
        try shell.run()
        // Not waited for: two tests waiting on Foundation's Process at once can miss an exit and hang;
        // the files the server and the shell write say when it is up.
        var port: Int?
        for _ in 0..<200 where port == nil {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        var pidText = ""
        for _ in 0..<50 where pidText.isEmpty {
            pidText = (try? String(contentsOfFile: directory + "/pid", encoding: .utf8)) ?? ""
            if pidText.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        }
        pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let logged = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        self.port = try #require(port, "scripts/test-forward-proxy did not start: \(logged)")
    }

    deinit {
        if pid > 0 { kill(pid, SIGTERM) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// What it logged: one line per request (`CONNECT dynamodb.test:PORT 200 auth`) or handshake.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The local server's port.
    static func localServerPort() throws -> Int {
        let endpoint = try LocalDynamoDB.endpoint()
        return try #require(Int(endpoint.split(separator: ":").last ?? ""), "no port in \(endpoint)")
    }
}

/// A CA made by the test (the openssl command) and a certificate it issued for `dynamodb.test` and
/// `localhost`, in a temporary directory.
final class TestCA {
    let directory: String
    var caPath: String { directory + "/ca.pem" }
    var certificatePath: String { directory + "/server.pem" }
    var keyPath: String { directory + "/server.key" }

    init() throws {
        directory = NSTemporaryDirectory() + "test-ca-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = """
            set -e
            cd '\(directory)'
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem \
              -days 2 -subj '/CN=sentinel-tables test CA' \
              -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
              -subj '/CN=dynamodb.test'
            printf 'subjectAltName=DNS:dynamodb.test,DNS:localhost,IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\nkeyUsage=critical,digitalSignature\\nextendedKeyUsage=serverAuth\\n' > ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl could not make the test CA")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A TLS front of the local server with this CA's certificate.
    func front() throws -> TestNetworkServer {
        try TestNetworkServer([
            "tls-front", "--cert", certificatePath, "--key", keyPath,
            "--upstream", "127.0.0.1:\(try TestNetworkServer.localServerPort())",
        ])
    }
}

/// Proxies (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and private CAs (AWS_CA_BUNDLE, `ca_bundle`), through
/// the CLI. The endpoint's host, `dynamodb.test`, resolves only inside the proxy: a request that went
/// around it would fail.
@Suite(.serialized) struct ProxyAndCATests {
    static let password = "pr0xy-s3cret"
    static let user = "proxy-user"

    /// The environment with exactly these proxies: the lower-case variables (which win) set, the
    /// upper-case ones empty, so that the machine's own settings play no part.
    static func environment(
        http: String? = nil, https: String? = nil, noProxy: String? = nil, extra: [String: String] = [:]
    ) -> [String: String] {
        LocalDynamoDB.clientEnvironment.merging([
            "http_proxy": http ?? "", "https_proxy": https ?? "", "no_proxy": noProxy ?? "",
            "HTTP_PROXY": "", "HTTPS_PROXY": "", "NO_PROXY": "", "AWS_CA_BUNDLE": "",
        ]) { $1 }.merging(extra) { $1 }
    }

    static func proxy(_ extra: [String] = []) throws -> TestNetworkServer {
        try TestNetworkServer(["proxy", "--host", "dynamodb.test=127.0.0.1"] + extra)
    }

    static func tableScript(_ directory: ScriptDirectory) throws -> String {
        let table = "proxied-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write("t.lua", "return sentinel.table { name = '\(table)', partition_key = 'id' }\n")
        return table
    }

    @Test func applyAndStatusGoThroughTheProxyWithItsCredentialsNeverShown() throws {
        let proxy = try Self.proxy(["--user", "\(Self.user):\(Self.password)"])
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = try Self.tableScript(directory)
        let endpoint = "http://dynamodb.test:\(try TestNetworkServer.localServerPort())"
        let environment = Self.environment(
            http: "http://\(Self.user):\(Self.password)@127.0.0.1:\(proxy.port)")
        let applied = try CommandRunner.run(
            ["apply", "t.lua", "--yes", "--endpoint-url", endpoint, "--verbose"], in: directory.path,
            environment: environment)
        #expect(applied.status == 0, "\(applied.stderr)")
        let status = try CommandRunner.run(
            ["status", table, "--endpoint-url", endpoint, "--verbose"], in: directory.path,
            environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains(table))
        let whoami = try CommandRunner.run(
            ["whoami", "--endpoint-url", endpoint, "--verbose"], in: directory.path, environment: environment)
        #expect(whoami.status == 0, "\(whoami.stderr)")
        #expect(
            whoami.stdout.contains("http://127.0.0.1:\(proxy.port) (http_proxy, with a user and password)"),
            "\(whoami.stdout)")
        for result in [applied, status, whoami] {
            for secret in [Self.password, Self.user] {
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
            }
        }
        #expect(proxy.log.contains("CONNECT dynamodb.test:"), "\(proxy.log)")
        #expect(!proxy.log.contains(" 407 "), "\(proxy.log)")
    }

    @Test func noProxyHostsGoDirect() throws {
        let proxy = try Self.proxy()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let port = try TestNetworkServer.localServerPort()
        for noProxy in ["127.0.0.0/8", "localhost,127.0.0.1", "*"] {
            let result = try CommandRunner.run(
                ["status", "no-such-table", "--endpoint-url", "http://127.0.0.1:\(port)"], in: directory.path,
                environment: Self.environment(http: "http://127.0.0.1:\(proxy.port)", noProxy: noProxy))
            #expect(!result.stderr.contains("proxy"), "\(noProxy): \(result.stderr)")
            #expect(result.stdout.contains("no-such-table"), "\(noProxy): \(result.stdout) \(result.stderr)")
        }
        #expect(proxy.log.isEmpty, "\(proxy.log)")
        // A name NO_PROXY covers is not sent to the proxy, so the name only it knows does not resolve.
        let bypassed = try CommandRunner.run(
            ["status", "no-such-table", "--endpoint-url", "http://api.dynamodb.test:\(port)"],
            in: directory.path,
            environment: Self.environment(http: "http://127.0.0.1:\(proxy.port)", noProxy: ".dynamodb.test"))
        #expect(bypassed.status == 1)
        #expect(bypassed.stderr.contains("cannot resolve the host name"), "\(bypassed.stderr)")
        #expect(proxy.log.isEmpty, "\(proxy.log)")
    }

    @Test func aProxyThatRefusesOrCannotBeReachedIsNamed() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let endpoint = "http://dynamodb.test:\(try TestNetworkServer.localServerPort())"
        let demanding = try Self.proxy(["--user", "\(Self.user):\(Self.password)"])
        let unauthenticated = try CommandRunner.run(
            ["status", "t", "--endpoint-url", endpoint, "--verbose"], in: directory.path,
            environment: Self.environment(http: "http://127.0.0.1:\(demanding.port)"))
        #expect(unauthenticated.status == 1)
        #expect(
            unauthenticated.stderr.contains(
                "the proxy http://127.0.0.1:\(demanding.port) (http_proxy) refused the tunnel to dynamodb.test: "
                    + "it requires authentication (HTTP 407)"), "\(unauthenticated.stderr)")
        let wrongPassword = try CommandRunner.run(
            ["status", "t", "--endpoint-url", endpoint, "--verbose"], in: directory.path,
            environment: Self.environment(
                http: "http://\(Self.user):wrong-\(Self.password)@127.0.0.1:\(demanding.port)"))
        #expect(
            wrongPassword.stderr.contains("requires authentication (HTTP 407)"), "\(wrongPassword.stderr)")
        #expect(!wrongPassword.stderr.contains(Self.password))

        let denying = try Self.proxy(["--deny", "dynamodb.test"])
        let denied = try CommandRunner.run(
            ["status", "t", "--endpoint-url", endpoint], in: directory.path,
            environment: Self.environment(http: "http://127.0.0.1:\(denying.port)"))
        #expect(denied.status == 1)
        #expect(
            denied.stderr.contains(
                "the proxy http://127.0.0.1:\(denying.port) (http_proxy) refused the tunnel to dynamodb.test"),
            "\(denied.stderr)")

        let unreachable = try CommandRunner.run(
            ["status", "t", "--endpoint-url", endpoint], in: directory.path,
            environment: Self.environment(http: "http://\(Self.user):\(Self.password)@127.0.0.1:9"))
        #expect(unreachable.status == 1)
        #expect(
            unreachable.stderr.contains(
                "cannot reach the proxy http://127.0.0.1:9 (http_proxy): connection refused"),
            "\(unreachable.stderr)")
        #expect(!unreachable.stderr.contains(Self.password))
    }

    @Test func aPrivateCAIsTrustedFromTheEnvironmentOrTheProfileAndAnUntrustedOneIsNamed() throws {
        let ca = try TestCA()
        let front = try ca.front()
        let proxy = try Self.proxy()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let endpoint = "https://dynamodb.test:\(front.port)"
        let viaProxy = Self.environment(https: "http://127.0.0.1:\(proxy.port)")

        let untrusted = try CommandRunner.run(
            ["status", "t", "--endpoint-url", endpoint], in: directory.path, environment: viaProxy)
        #expect(untrusted.status == 1)
        #expect(
            untrusted.stderr.contains(
                "the certificate for dynamodb.test is not trusted by the system's CAs; set AWS_CA_BUNDLE"),
            "\(untrusted.stderr)")

        let fromEnvironment = try CommandRunner.run(
            ["status", "no-such-table", "--endpoint-url", endpoint], in: directory.path,
            environment: viaProxy.merging(["AWS_CA_BUNDLE": ca.caPath]) { $1 })
        #expect(fromEnvironment.stdout.contains("no-such-table"), "\(fromEnvironment.stderr)")
        #expect(!fromEnvironment.stderr.contains("TLS"), "\(fromEnvironment.stderr)")

        try directory.write("config", "[profile corp]\nregion = us-east-1\nca_bundle = \(ca.caPath)\n")
        let profileEnvironment = viaProxy.merging([
            "AWS_CONFIG_FILE": directory.path + "/config", "AWS_PROFILE": "corp",
        ]) { $1 }
        let fromProfile = try CommandRunner.run(
            ["status", "no-such-table", "--endpoint-url", endpoint], in: directory.path,
            environment: profileEnvironment)
        #expect(fromProfile.stdout.contains("no-such-table"), "\(fromProfile.stderr)")
        #expect(!fromProfile.stderr.contains("TLS"), "\(fromProfile.stderr)")
        let whoami = try CommandRunner.run(
            ["whoami", "--endpoint-url", endpoint, "--verbose"], in: directory.path,
            environment: profileEnvironment)
        #expect(whoami.stdout.contains("\(ca.caPath) (ca_bundle in profile 'corp')"), "\(whoami.stdout)")
        #expect(proxy.log.contains("CONNECT dynamodb.test:\(front.port) 200"), "\(proxy.log)")

        // Directly, without a proxy, to the certificate's other name.
        let direct = try CommandRunner.run(
            ["status", "no-such-table", "--endpoint-url", "https://localhost:\(front.port)"],
            in: directory.path,
            environment: Self.environment(extra: ["AWS_CA_BUNDLE": ca.caPath]))
        #expect(direct.stdout.contains("no-such-table"), "\(direct.stderr)")
    }
}

/// The proxy is chosen for each request's host, not once for the client: DynamoDB's endpoint through
/// the proxy (which alone knows `dynamodb.test`) while the Streams endpoint, which NO_PROXY names, is
/// reached directly.
@Suite struct ProxyPerHostTests {
    @Test(.timeLimit(.minutes(3)))
    func streamsGoDirectWhileDynamoDBGoesThroughTheProxy() throws {
        let proxy = try ProxyAndCATests.proxy()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let port = try TestNetworkServer.localServerPort()
        let table = "routed-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write(
            "t.lua",
            "return sentinel.table { name = '\(table)', partition_key = 'id', stream = 'NEW_IMAGE' }\n")
        let environment = ProxyAndCATests.environment(
            http: "http://127.0.0.1:\(proxy.port)", noProxy: "127.0.0.1",
            extra: [
                "AWS_ENDPOINT_URL_DYNAMODB": "http://dynamodb.test:\(port)",
                "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": "http://127.0.0.1:\(port)",
            ])
        let applied = try CommandRunner.run(
            ["apply", "t.lua", "--yes"], in: directory.path, environment: environment)
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        let watched = try CommandRunner.run(
            ["watch", table, "--since", "trim-horizon", "--until-caught-up"], in: directory.path,
            environment: environment)
        #expect(watched.status == 0, "\(watched.stdout)\n\(watched.stderr)")
        #expect(proxy.log.contains("dynamodb.test:"), "\(proxy.log)")
        #expect(!proxy.log.contains("127.0.0.1:\(port)"), "\(proxy.log)")
    }
}
