import AWS
import AWSTestSupport
import DynamoDBModel
import Testing

/// The proxy variables as curl, botocore and the SDKs read them.
@Suite struct ProxySettingsTests {
    static func endpoint(_ url: String) throws -> Endpoint { try #require(Endpoint(url: url)) }

    @Test func eachSchemeHasItsProxyAndLowerCaseWins() throws {
        let settings = try ProxySettings(environment: [
            "HTTPS_PROXY": "http://upper:3128", "https_proxy": "http://lower:3128",
            "HTTP_PROXY": "plain.corp:8080",
        ])
        #expect(
            settings.proxy(for: try Self.endpoint("https://dynamodb.us-east-1.amazonaws.com"))?.host
                == "lower")
        let http = try #require(settings.proxy(for: try Self.endpoint("http://127.0.0.1:8000")))
        #expect(http.description == "http://plain.corp:8080")
        #expect(http.variable == "HTTP_PROXY")
        // An empty lower-case variable turns the upper-case one off, as Python's urllib reads them.
        let off = try ProxySettings(environment: ["HTTPS_PROXY": "http://upper:3128", "https_proxy": ""])
        #expect(off.https == nil)
        #expect(try ProxySettings(environment: [:]) == .none)
    }

    @Test func theUserAndPasswordAreNeverShown() throws {
        let proxy = try ProxyURL(
            parsing: "http://alice:p%40ss%3Azq9@proxy.corp:3128/", variable: "HTTPS_PROXY")
        #expect(proxy.host == "proxy.corp")
        #expect(proxy.port == 3128)
        for text in [proxy.description, proxy.detailedDescription, "\(proxy)", String(reflecting: proxy)] {
            #expect(!text.contains("alice") && !text.contains("p@ss") && !text.contains("zq9"), "\(text)")
        }
        #expect(proxy.detailedDescription == "http://proxy.corp:3128 (HTTPS_PROXY, with a user and password)")
        #expect(
            try ProxyURL(parsing: "http://[fd00::1]", variable: "HTTP_PROXY").description
                == "http://[fd00::1]:80")
    }

    @Test(arguments: [
        ("https://proxy.corp:3128", "not supported"), ("socks5://proxy.corp:1080", "not supported"),
        ("http://:3128", "names no host"), ("http://alice:secret@proxy.corp:99999", "port"),
        ("http://alice:secret%zz@proxy.corp", "%-escape"),
    ])
    func malformedProxiesAreRefusedWithoutTheirValue(_ value: String, _ expected: String) {
        do throws(DynamoDBError) {
            _ = try ProxyURL(parsing: value, variable: "HTTPS_PROXY")
            Issue.record("\(value) was accepted")
        } catch {
            #expect(error.description.contains("HTTPS_PROXY: "), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
            #expect(!error.description.contains("secret"), "\(error)")
        }
    }

    @Test(arguments: [
        ("example.com", "example.com", 443, true), ("example.com", "api.example.com", 443, true),
        ("example.com", "badexample.com", 443, false), (".example.com", "example.com", 443, true),
        ("*.example.com", "a.b.example.com", 443, true), ("EXAMPLE.com", "Api.Example.COM.", 443, true),
        ("*", "anything.at.all", 80, true), ("10.1.2.3", "10.1.2.3", 80, true),
        ("10.1.2.3", "10.1.2.4", 80, false), ("10.0.0.0/8", "10.200.1.1", 80, true),
        ("10.0.0.0/8", "11.0.0.1", 80, false), ("192.168.1.0/25", "192.168.1.127", 80, true),
        ("192.168.1.0/25", "192.168.1.128", 80, false), ("fd00::/8", "[fd12::1]", 443, true),
        ("::1", "[::1]", 443, true), ("[::1]:8000", "[::1]", 8000, true),
        ("[::1]:8000", "[::1]", 8001, false),
        ("localhost:8000", "localhost", 8000, true), ("localhost:8000", "localhost", 443, false),
        (" a.com , b.com ", "b.com", 443, true), ("10.0.0.0/8", "ten.example", 443, false),
        ("10.0.0.0/99, c.com", "c.com", 443, true), ("", "example.com", 443, false),
    ])
    func noProxyMatchesNamesSuffixesAddressesAndRanges(
        _ list: String, _ host: String, _ port: Int, _ bypassed: Bool
    ) {
        #expect(NoProxyList(list).bypasses(host: host, port: port) == bypassed)
    }

    @Test func noProxyAppliesToBothSchemes() throws {
        let settings = try ProxySettings(environment: [
            "HTTPS_PROXY": "http://proxy:3128", "HTTP_PROXY": "http://proxy:3128",
            "NO_PROXY": "internal.corp,169.254.0.0/16", "no_proxy": "localhost,127.0.0.1",
        ])
        // no_proxy wins over NO_PROXY.
        #expect(settings.proxy(for: try Self.endpoint("http://127.0.0.1:8000")) == nil)
        #expect(settings.proxy(for: try Self.endpoint("https://localhost")) == nil)
        #expect(settings.proxy(for: try Self.endpoint("https://db.internal.corp")) != nil)
    }
}

/// AWS_CA_BUNDLE and the profile's `ca_bundle`, read when the configuration is resolved.
@Suite struct CABundleSettingsTests {
    @Test func theEnvironmentWinsOverTheProfileAndAFileThatIsNotPEMIsNamed() throws {
        let files = MemoryFileSystem(files: [
            "/etc/corp/env-ca.pem": "not a certificate\n",
            "/config": "[profile corp]\nca_bundle = /etc/corp/profile-ca.pem\n",
        ])
        let profile = try SharedConfigFiles(environment: ["AWS_CONFIG_FILE": "/config"], fileSystem: files)
            .profile("corp")
        do throws(DynamoDBError) {
            _ = try NetworkSettings.resolve(
                environment: ["AWS_CA_BUNDLE": "/etc/corp/env-ca.pem"], profile: profile, fileSystem: files)
            Issue.record("a file without a certificate was accepted")
        } catch {
            #expect(error.description.contains("AWS_CA_BUNDLE: '/etc/corp/env-ca.pem'"), "\(error)")
        }
        do throws(DynamoDBError) {
            _ = try NetworkSettings.resolve(environment: [:], profile: profile, fileSystem: files)
            Issue.record("a missing file was accepted")
        } catch {
            #expect(
                error.description.hasSuffix(
                    "ca_bundle in profile 'corp': no CA bundle file at '/etc/corp/profile-ca.pem'"),
                "\(error)")
        }
        let none = try NetworkSettings.resolve(environment: [:], profile: nil, fileSystem: files)
        #expect(none == .direct)
    }
}
