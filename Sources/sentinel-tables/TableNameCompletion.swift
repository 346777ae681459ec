import DynamoDB
import Logging
import SentinelScript

/// Shell completion of table names for `status` and `delete`: the shell runs the tool with the words
/// typed so far, and the tool answers with the account's tables (ListTables) that start with the word
/// being completed. The AWS options already typed (`--region`, `--profile`, `--endpoint-url`) are
/// honoured, so completion lists the tables the command would act on. Completion must never hang a
/// shell or write on it: the lookup is bounded to a few seconds, asks for no MFA code, logs nothing,
/// and any failure (no credentials, no network) completes nothing.
enum TableNameCompletion {
    /// How long a lookup may take before completion gives up: a shell waits for it on every Tab.
    static let timeout: Duration = .seconds(3)

    /// The candidates for `prefix`, given every word of the command line (`words[0]` is the tool).
    static func candidates(words: [String], completingIndex: Int, prefix: String) -> [String] {
        let options = awsOptions(in: words)
        let given = Set(words.indices.filter { $0 != completingIndex && $0 > 0 }.map { words[$0] })
        let names = AsyncWork.wait { () async -> [String] in
            let connection = AWSConnection(options: options)
            let names = (try? await connection.client().listTables()) ?? []
            await connection.shutdown()
            return names
        }
        return names.filter { $0.hasPrefix(prefix) && !given.contains($0) }
    }

    /// The words as typed, before bash split them at `:` (a character of its COMP_WORDBREAKS):
    /// `http`, `:`, `//127.0.0.1`, `:`, `8000` is `http://127.0.0.1:8000` again.
    static func joiningColons(_ words: [String]) -> [String] {
        var joined: [String] = []
        var glueNext = false
        for word in words {
            if word == ":", !joined.isEmpty {
                joined[joined.count - 1] += ":"
                glueNext = true
            } else if glueNext, !word.hasPrefix("-") {
                joined[joined.count - 1] += word
                glueNext = false
            } else {
                joined.append(word)
                glueNext = false
            }
        }
        return joined
    }

    /// The options of the words typed, each as `--name value` or `--name=value`; the last one wins, as
    /// when the command runs.
    static func awsOptions(in typed: [String]) -> DynamoDBConfiguration.Options {
        let words = joiningColons(typed)
        var values: [String: String] = [:]
        var index = words.startIndex
        while index < words.endIndex {
            let word = words[index]
            for name in ["--region", "--profile", "--endpoint-url"] {
                if word == name, index + 1 < words.endIndex {
                    values[name] = words[index + 1]
                } else if word.hasPrefix(name + "=") {
                    values[name] = String(word.dropFirst(name.count + 1))
                }
            }
            index += 1
        }
        var options = AWSOptions.options(
            region: values["--region"], profile: values["--profile"], endpointURL: values["--endpoint-url"],
            awsTimeout: nil, verbose: false)
        options.callTimeout = timeout
        options.access = .readOnly(holder: "completion")
        options.mfaCodePrompt = nil
        options.logger.logLevel = .critical
        return options
    }
}
