import AWS
import AWSTestSupport
import DynamoDBModel
import Testing

/// The shared config and credentials files read as the AWS SDKs read them: one case for each case of
/// the SDKs' shared profile-parser suite (smithy-rs `aws-runtime/test-data/profile-parser-tests.json`),
/// written here in our own terms. Each gives the two files and either every profile (and SSO session)
/// they define, with its merged settings, or a part of the error.
@Suite struct ProfileFileParsingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var config: String?
        var credentials: String?
        var profiles: [String: [String: String]] = [:]
        var ssoSessions: [String: [String: String]] = [:]
        var error: String?
        var testDescription: String { name }

        init(
            _ name: String, config: String? = nil, credentials: String? = nil,
            profiles: [String: [String: String]] = [:], ssoSessions: [String: [String: String]] = [:]
        ) {
            self.name = name
            self.config = config
            self.credentials = credentials
            self.profiles = profiles
            self.ssoSessions = ssoSessions
        }

        init(_ name: String, config: String? = nil, credentials: String? = nil, error: String) {
            self.name = name
            self.config = config
            self.credentials = credentials
            self.error = error
        }
    }

    static let sections: [Case] = [
        Case("an empty file has no profiles", config: ""),
        Case("an empty profile has no settings", config: "[profile foo]", profiles: ["foo": [:]]),
        Case(
            "names may hold - / . % @ _ : + and others make the profile ignored",
            config: "[profile some-thing:long/the_one%only.foo@bar+]\n[profile foo!bar]",
            profiles: ["some-thing:long/the_one%only.foo@bar+": [:]]),
        Case("a header must close", config: "[profile foo", error: "closing ']'"),
        Case("names are trimmed", config: "[profile \tfoo \t]", profiles: ["foo": [:]]),
        Case("a tab may follow the prefix", config: "[profile\tfoo]", profiles: ["foo": [:]]),
        Case("a setting needs a section", config: "name = value", error: "before any [section] header"),
        Case(
            "a profile holds settings", config: "[profile foo]\nname = value",
            profiles: ["foo": ["name": "value"]]),
        Case("CRLF line ends", config: "[profile foo]\r\nname = value", profiles: ["foo": ["name": "value"]]),
        Case(
            "'=' within a value", config: "[profile foo]\nname = val=ue",
            profiles: ["foo": ["name": "val=ue"]]),
        Case(
            "Unicode values", config: "[profile foo]\nname = \u{1F602}é",
            profiles: ["foo": ["name": "\u{1F602}é"]]),
        Case(
            "several settings", config: "[profile foo]\nname = value\nname2 = value2",
            profiles: ["foo": ["name": "value", "name2": "value2"]]),
        Case(
            "keys and values are trimmed", config: "[profile foo]\nname \t=  \tvalue \t",
            profiles: ["foo": ["name": "value"]]),
        Case("an empty value", config: "[profile foo]\nname =", profiles: ["foo": ["name": ""]]),
        Case("an empty key", config: "[profile foo]\n= value", error: "missing key before '='"),
        Case(
            "a setting needs '='", config: "[profile foo]\nkey : value",
            error: "expected '[section]', 'key = value'"),
        Case(
            "several empty profiles", config: "[profile foo]\n[profile bar]",
            profiles: ["foo": [:], "bar": [:]]),
        Case(
            "several profiles with settings",
            config: "[profile foo]\nname = value\n[profile bar]\nname2 = value2",
            profiles: ["foo": ["name": "value"], "bar": ["name2": "value2"]]),
        Case(
            "blank lines", config: "\t \n[profile foo]\n\t\n \nname = value\n\t \n[profile bar]\n \t",
            profiles: ["foo": ["name": "value"], "bar": [:]]),
    ]

    static let comments: [Case] = [
        Case(
            "# comments", config: "# Comment\n[profile foo] # Comment\nname = value # Comment with # sign",
            profiles: ["foo": ["name": "value"]]),
        Case(
            "; comments", config: "; Comment\n[profile foo] ; Comment\nname = value ; Comment with ; sign",
            profiles: ["foo": ["name": "value"]]),
        Case(
            "both kinds together",
            config: "# Comment\n[profile foo] ; Comment\nname = value # Comment with ; sign",
            profiles: ["foo": ["name": "value"]]),
        Case(
            "empty comments", config: ";\n[profile foo];\nname = value ;\n",
            profiles: ["foo": ["name": "value"]]),
        Case(
            "comments right after a header",
            config: "[profile foo]; Adjacent semicolons\n[profile bar]# Adjacent pound signs",
            profiles: ["foo": [:], "bar": [:]]),
        Case(
            "comment characters right after a value stay in it",
            config: "[profile foo]\nname = value; Adjacent semicolons\nname2 = value# Adjacent pound signs",
            profiles: ["foo": ["name": "value; Adjacent semicolons", "name2": "value# Adjacent pound signs"]]),
    ]

    static let continuations: [Case] = [
        Case(
            "a continued value", config: "[profile foo]\nname = value\n -continued",
            profiles: ["foo": ["name": "value\n-continued"]]),
        Case(
            "several continuation lines", config: "[profile foo]\nname = value\n -continued\n -and-continued",
            profiles: ["foo": ["name": "value\n-continued\n-and-continued"]]),
        Case(
            "continuations are trimmed", config: "[profile foo]\nname = value\n \t -continued \t ",
            profiles: ["foo": ["name": "value\n-continued"]]),
        Case(
            "continuations keep # text", config: "[profile foo]\nname = value\n -continued # Comment",
            profiles: ["foo": ["name": "value\n-continued # Comment"]]),
        Case(
            "continuations keep ; text", config: "[profile foo]\nname = value\n -continued ; Comment",
            profiles: ["foo": ["name": "value\n-continued ; Comment"]]),
        Case("a continuation needs a section", config: " -continued", error: "before any [section] header"),
        Case(
            "a continuation needs a setting", config: "[profile foo]\n -continued",
            error: "continues no property"),
        Case(
            "a header ends what continues", config: "[profile foo]\nname = value\n[profile foo]\n -continued",
            error: "continues no property"),
        Case(
            "sub-properties", config: "[profile foo]\ns3 =\n name = value",
            profiles: ["foo": ["s3": "\nname = value"]]),
        Case(
            "a sub-property needs '='", config: "[profile foo]\ns3 =\n invalid",
            error: "expected 'name = value' in the sub-properties"),
        Case(
            "a sub-property may be empty", config: "[profile foo]\ns3 =\n name =",
            profiles: ["foo": ["s3": "\nname ="]]),
        Case(
            "a sub-property needs a name", config: "[profile foo]\ns3 =\n = value",
            error: "has no name before '='"),
        Case(
            "a sub-property's name is kept as written", config: "[profile foo]\ns3 =\n in valid = value",
            profiles: ["foo": ["s3": "\nin valid = value"]]),
        Case(
            "blank lines among sub-properties",
            config: "[profile foo]\ns3 =\n name = value\n\t \n name2 = value2",
            profiles: ["foo": ["s3": "\nname = value\nname2 = value2"]]),
    ]

    static let merging: [Case] = [
        Case(
            "a profile twice merges", config: "[profile foo]\nname = value\n[profile foo]\nname2 = value2",
            profiles: ["foo": ["name": "value", "name2": "value2"]]),
        Case(
            "the last of a key wins", config: "[profile foo]\nname = value\nname = value2",
            profiles: ["foo": ["name": "value2"]]),
        Case(
            "the last of a key wins across repeats",
            config: "[profile foo]\nname = value\n[profile foo]\nname = value2",
            profiles: ["foo": ["name": "value2"]]),
        Case(
            "keys ignore case", config: "[profile foo]\nName = value\n[profile foo]\nname = value2",
            profiles: ["foo": ["name": "value2"]]),
        Case(
            "[profile default] wins over an earlier [default]",
            config: "[profile default]\nname = value\n[default]\nname2 = value2",
            profiles: ["default": ["name": "value"]]),
        Case(
            "[profile default] wins over a later [default]",
            config: "[default]\nname2 = value2\n[profile default]\nname = value",
            profiles: ["default": ["name": "value"]]),
        Case(
            "profiles with invalid names are ignored", config: "[profile in valid]\nname = value",
            credentials: "[in valid 2]\nname2 = value2"),
        Case(
            "keys with invalid names are ignored", config: "[profile foo]\nin valid = value",
            profiles: ["foo": [:]]),
        Case(
            "every valid name character",
            config: "[profile ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_]",
            profiles: ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_": [:]]),
        Case(
            "every valid key character, lower-cased",
            config: "[profile foo]\nABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_ = value",
            profiles: ["foo": ["abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789-_": "value"]]),
        Case(
            "a profile in both files merges", config: "[profile foo]\nname = value",
            credentials: "[foo]\nname2 = value2",
            profiles: ["foo": ["name": "value", "name2": "value2"]]),
        Case(
            "mixed default sections: [default] is ignored",
            config:
                "[profile default]\nname = value\n[default]\nname2 = value2\n[profile default]\nname3 = value3",
            profiles: ["default": ["name": "value", "name3": "value3"]]),
        Case(
            "mixed default sections merge with credentials",
            config:
                "[profile default]\nname = value\n[default]\nname2 = value2\n[profile default]\nname3 = value3",
            credentials: "[default]\nsecret=foo",
            profiles: ["default": ["name": "value", "name3": "value3", "secret": "foo"]]),
        Case(
            "the credentials file wins a key", config: "[profile foo]\nname = value",
            credentials: "[foo]\nname = value2",
            profiles: ["foo": ["name": "value2"]]),
        Case("config sections without the prefix are not profiles", config: "[foo]\nname = value"),
        Case(
            "credentials sections with the prefix are not profiles",
            credentials: "[profile foo]\nname = value"),
        Case(
            "no space after 'profile' is no profile", config: "[profilefoo]\nname = value\n[profile bar]",
            profiles: ["bar": [:]]),
        Case(
            "whitespace around a config header", config: "[   profile foo    ]\nname = value\n[profile bar]",
            profiles: ["bar": [:], "foo": ["name": "value"]]),
        Case(
            "whitespace around a credentials header",
            credentials: "[   foo    ]\nname = value\n[profile bar]",
            profiles: ["foo": ["name": "value"]]),
        Case(
            "settings of an invalid profile are ignored",
            config: "[profile foo]\nname = value\n[profile in valid]\nx = 1\n[profile bar]\nname = value2",
            profiles: ["bar": ["name": "value2"], "foo": ["name": "value"]]),
        Case(
            "an sso-session section", config: "[sso-session foo]\nname = value\n[profile bar]",
            profiles: ["bar": [:]], ssoSessions: ["foo": ["name": "value"]]),
        Case(
            "sso-session without a space is a profile", credentials: "[sso-sessionfoo]\nname = value\n[bar]",
            profiles: ["sso-sessionfoo": ["name": "value"], "bar": [:]]),
        Case(
            "a misspelt sso-session is ignored", config: "[sso-sesion foo]\nname = value\n[profile bar]",
            profiles: ["bar": [:]]),
    ]

    func check(_ test: Case) throws {
        var files: [String: String] = [:]
        if let config = test.config { files["/config"] = config }
        if let credentials = test.credentials { files["/credentials"] = credentials }
        let environment = ["AWS_CONFIG_FILE": "/config", "AWS_SHARED_CREDENTIALS_FILE": "/credentials"]
        do throws(DynamoDBError) {
            let parsed = try SharedConfigFiles(
                environment: environment, fileSystem: MemoryFileSystem(files: files))
            if let error = test.error {
                Issue.record("expected an error containing \(error)")
                return
            }
            var profiles: [String: [String: String]] = [:]
            for name in parsed.profileNames {
                profiles[name] = parsed.profile(name)?.settings
            }
            #expect(profiles == test.profiles)
            var sessions: [String: [String: String]] = [:]
            for name in parsed.ssoSessionNames {
                sessions[name] = parsed.ssoSession(name)
            }
            #expect(sessions == test.ssoSessions)
        } catch {
            let expected = try #require(test.error, "unexpected error: \(error)")
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test(arguments: sections) func sectionsAndSettings(_ test: Case) throws { try check(test) }
    @Test(arguments: comments) func commentRules(_ test: Case) throws { try check(test) }
    @Test(arguments: continuations) func continuationsAndSubProperties(_ test: Case) throws {
        try check(test)
    }
    @Test(arguments: merging) func mergingAndNames(_ test: Case) throws { try check(test) }
}
