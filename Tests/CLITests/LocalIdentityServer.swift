import Foundation
import Testing

/// A small local IAM Identity Center portal, OIDC service and STS in one process (Python's
/// http.server), for the end-to-end credential tests: what moto cannot show.
///
/// - Portal: `GET /federation/credentials?role_name=R&account_id=A` answers only the bearer token
///   `sso-access-token` (or a refreshed one), 401 UnauthorizedException otherwise.
/// - OIDC: `POST /token` with the refresh grant of client `client-1`/`secret-1` and refresh token
///   `refresh-1` issues `sso-access-token-refreshed`.
/// - STS: `AssumeRole` (a role whose name contains `mfa` needs `TokenCode=123456`) and
///   `GetCallerIdentity`, which answers with the account of the role or SSO account the access key
///   was issued for (`123456789012` for any other key).
///
/// Every request is written to `log` as one JSON line: method, path, the form or query fields and
/// the access key that signed it.
final class LocalIdentityServer {
    let url: String
    let log: String
    private let process: Process

    init(directory: String) throws {
        log = directory + "/identity-requests.jsonl"
        let portFile = directory + "/identity-port"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.server, log, portFile]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // It writes the port it bound to a file once it listens.
        var port: Int?
        for _ in 0..<200 where port == nil {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        url = "http://127.0.0.1:\(try #require(port, "the identity server did not start"))"
    }

    /// Stops the server; call it in a `defer` right after starting it (a deinit could run as soon as
    /// the test last mentions the server, before the tool has talked to it).
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The requests recorded so far.
    var requests: [[String: Any]] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    static let server = #"""
        import http.server, json, sys, time, urllib.parse, datetime, threading

        LOG = sys.argv[1]
        TOKENS = {"sso-access-token", "sso-access-token-refreshed"}
        issued = {}
        lock = threading.Lock()

        def record(entry):
            with lock, open(LOG, "a") as f:
                f.write(json.dumps(entry) + "\n")

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body, kind="application/json"):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
                token = self.headers.get("x-amz-sso_bearer_token")
                record({"method": "GET", "path": url.path, "fields": query, "token": token})
                if url.path != "/federation/credentials":
                    return self.answer(404, "{}")
                if token not in TOKENS:
                    return self.answer(401, json.dumps({"message": "Session token not found or invalid"}),
                                       "application/json")
                account = query.get("account_id", "")
                key = "ASIASSO%s" % account
                with lock:
                    issued[key] = (account, "arn:aws:sts::%s:assumed-role/AWSReservedSSO_%s/user"
                                   % (account, query.get("role_name", "")))
                expires = int((time.time() + 3600) * 1000)
                return self.answer(200, json.dumps({"roleCredentials": {
                    "accessKeyId": key, "secretAccessKey": "ssosecret", "sessionToken": "ssotoken",
                    "expiration": expires}}))

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length).decode()
                url = urllib.parse.urlparse(self.path)
                if url.path.endswith("/token"):
                    grant = json.loads(raw or "{}")
                    record({"method": "POST", "path": url.path, "fields": grant})
                    if (grant.get("grantType") == "refresh_token" and grant.get("clientId") == "client-1"
                            and grant.get("clientSecret") == "secret-1" and grant.get("refreshToken") == "refresh-1"):
                        return self.answer(200, json.dumps({"accessToken": "sso-access-token-refreshed",
                            "expiresIn": 3600, "refreshToken": "refresh-2", "tokenType": "Bearer"}))
                    return self.answer(400, json.dumps({"error": "invalid_grant"}))
                fields = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                auth = self.headers.get("Authorization", "")
                key = auth.split("Credential=")[1].split("/")[0] if "Credential=" in auth else None
                record({"method": "POST", "path": url.path, "fields": fields, "key": key})
                action = fields.get("Action")
                if action == "AssumeRole":
                    role = fields.get("RoleArn", "")
                    if "mfa" in role and fields.get("TokenCode") != "123456":
                        return self.answer(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>MFA "
                            "authentication required</Message></Error></ErrorResponse>", "text/xml")
                    account = role.split(":")[4]
                    with lock:
                        new_key = "ASIAROLE%s%d" % (account, len(issued))
                        issued[new_key] = (account, "arn:aws:sts::%s:assumed-role/%s/%s"
                                           % (account, role.split("/")[-1], fields.get("RoleSessionName")))
                    expiration = (datetime.datetime.utcnow() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
                    return self.answer(200, "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
                        "<AccessKeyId>%s</AccessKeyId><SecretAccessKey>rolesecret</SecretAccessKey>"
                        "<SessionToken>roletoken</SessionToken><Expiration>%s</Expiration></Credentials>"
                        "</AssumeRoleResult></AssumeRoleResponse>" % (new_key, expiration), "text/xml")
                if action == "GetCallerIdentity":
                    with lock:
                        account, arn = issued.get(key, ("123456789012", "arn:aws:iam::123456789012:user/static"))
                    return self.answer(200, "<GetCallerIdentityResponse><GetCallerIdentityResult>"
                        "<Arn>%s</Arn><UserId>U</UserId><Account>%s</Account></GetCallerIdentityResult>"
                        "</GetCallerIdentityResponse>" % (arn, account), "text/xml")
                return self.answer(400, "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>",
                                   "text/xml")

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        with open(sys.argv[2] + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        import os
        os.rename(sys.argv[2] + ".tmp", sys.argv[2])
        server.serve_forever()
        """#
}
