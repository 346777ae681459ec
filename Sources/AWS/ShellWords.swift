/// A command line split into words as a POSIX shell splits it, without running a shell: how the aws
/// CLI (botocore's `shlex.split`) runs `credential_process`. Blanks separate words; single quotes keep
/// everything literally; double quotes keep everything but `\` before `"`, `\`, `$`, `` ` `` and a
/// newline; a backslash outside quotes keeps the next character. Nothing else is special: no variables,
/// `~`, globs, pipes or redirections.
enum ShellWords {
    struct UnterminatedQuote: Error, CustomStringConvertible {
        var description: String { "a quote is not closed" }
    }

    static func split(_ line: String) throws(UnterminatedQuote) -> [String] {
        var words: [String] = []
        var word: [Character] = []
        var inWord = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch character {
            case " ", "\t", "\n":
                if inWord { words.append(String(word)) }
                word = []
                inWord = false
            case "'":
                inWord = true
                while true {
                    guard let quoted = characters.next() else { throw UnterminatedQuote() }
                    if quoted == "'" { break }
                    word.append(quoted)
                }
            case "\"":
                inWord = true
                while true {
                    guard let quoted = characters.next() else { throw UnterminatedQuote() }
                    if quoted == "\"" { break }
                    if quoted == "\\" {
                        guard let escaped = characters.next() else { throw UnterminatedQuote() }
                        if !"\"\\$`\n".contains(escaped) { word.append("\\") }
                        if escaped != "\n" { word.append(escaped) }
                        continue
                    }
                    word.append(quoted)
                }
            case "\\":
                inWord = true
                if let escaped = characters.next(), escaped != "\n" { word.append(escaped) }
            default:
                inWord = true
                word.append(character)
            }
        }
        if inWord { words.append(String(word)) }
        return words
    }
}
