import Foundation
import Testing

/// `import DIR` reads every file a folder of items holds, whatever export or other tools named it
/// (`.jsonl.gz`, `.gz`, `.ndjson`, `.JSON`), and names the files it does not read.
@Suite struct ImportFolderTests {
    @Test func aFolderIsReadWhateverTheItemFilesAreCalledAndTheRestIsNamed() throws {
        let source = ExportImportTests.unique("imp-dir-src")
        try ExportImportTests.makeTable(source, items: 30)
        let copy = ExportImportTests.unique("imp-dir")
        try ExportImportTests.createEmptyTable(copy)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let line = { (id: String) in #"{"Item":{"id":{"S":"\#(id)"}}}"# + "\n" }
        try directory.write("in/b.ndjson", line("b"))
        try directory.write("in/C.JSON", line("c"))
        try directory.write("in/d.gz", line("d"))
        try directory.write("in/e.Jsonl", line("e"))
        try directory.write("in/notes.txt", line("not-read"))
        try directory.write("in/.hidden.json", line("hidden"))
        // What export writes for `-o x.jsonl.gz` (gzip-compressed), and plain files by other names.
        let exported = try LocalDynamoDB.tool(["export", source, "-o", "in/x.jsonl.gz"], in: directory.path)
        #expect(exported.status == 0, "\(exported.stderr)")
        let result = try LocalDynamoDB.tool(["import", copy, "in"], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(copy): imported 34 items from 5 file(s)"), "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "\(copy): not read (names not ending in .json, .jsonl, .ndjson, .gz): in/notes.txt\n"),
            "\(result.stderr)")
        #expect(
            result.stderr.contains(try Regex("not read \\(symbolic links[^\n]*: in/.hidden.json\n")),
            "\(result.stderr)")
        let ids = try LocalDynamoDB.boto3(
            "print(sorted(i['id']['S'] for i in ddb.scan(TableName='\(copy)', ConsistentRead=True)['Items'] if len(i['id']['S']) == 1))"
        )
        #expect(ids == "['b', 'c', 'd', 'e']\n")
    }
}
