import Foundation
import Testing

/// `import` checks every value as DynamoDB will before its first write: a file with one line DynamoDB
/// would refuse writes nothing (before, the batches ahead of that line were written, then DynamoDB
/// refused the rest).
@Suite struct ImportValueRulesTests {
    @Test func aValueDynamoDBWouldRefuseIsNamedByFileAndLineAndNothingIsWritten() throws {
        let table = ExportImportTests.unique("imp-rules")
        try ExportImportTests.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        // Thirty good lines (more than one batch of 25) ahead of the bad one, on line 31.
        let good = (0..<30).map { #"{"Item":{"id":{"S":"g\#($0)"},"n":{"N":"\#($0)"}}}"# }.joined(
            separator: "\n")
        let cases: [(String, String)] = [
            (
                #"{"Item":{"id":{"S":""}}}"#,
                "key attribute 'id' is an empty string; DynamoDB refuses empty key values"
            ),
            (
                #"{"Item":{"id":{"S":"z"},"n":{"N":"1e400"}}}"#,
                "larger in magnitude than DynamoDB's largest number"
            ),
            (
                #"{"Item":{"id":{"S":"z"},"n":{"N":"1e126"}}}"#,
                "larger in magnitude than DynamoDB's largest number"
            ),
            (
                #"{"Item":{"id":{"S":"z"},"n":{"N":"1e-131"}}}"#,
                "smaller in magnitude than DynamoDB's smallest number"
            ),
            (#"{"Item":{"id":{"S":"z"},"e":{"SS":[]}}}"#, "'e' is an empty set; DynamoDB refuses empty sets"),
            (
                #"{"Item":{"id":{"S":"z"},"m":{"M":{"d":{"NS":["1","1.0"]}}}}}"#,
                "'m.d' holds 1 twice; DynamoDB refuses sets with duplicate elements"
            ),
            (
                #"{"Item":{"id":{"S":"z"},"big":{"S":"\#(String(repeating: "x", count: 409_600))"}}}"#,
                "the item is 409,606 bytes; DynamoDB refuses items over 400 KB"
            ),
        ]
        for (bad, problem) in cases {
            try directory.write("bad.json", good + "\n" + bad + "\n")
            let result = try LocalDynamoDB.tool(["import", table, "bad.json"], in: directory.path)
            #expect(result.status == 1, "\(problem): \(result.stderr)")
            #expect(result.stderr.contains("bad.json:31: "), "\(result.stderr)")
            #expect(result.stderr.contains(problem), "\(result.stderr)")
            #expect(result.stderr.contains("nothing was written"), "\(result.stderr)")
            // One error shape (issue 29): no "AWS configuration" label on a file's problem, said once.
            #expect(!result.stderr.contains("AWS configuration"), "\(result.stderr)")
            #expect(
                result.stderr.components(separatedBy: "nothing was written").count == 2, "\(result.stderr)")
        }
        let count = try LocalDynamoDB.boto3("print(ddb.scan(TableName='\(table)', Select='COUNT')['Count'])")
        #expect(count == "0\n")
    }

    /// One error shape (issue 29): what is wrong with the work asked (a file that cannot be written, a
    /// checkpoint that is not one, a copy of a table into itself) is said as it is, not as "AWS
    /// configuration:".
    @Test func problemsOfTheWorkAskedAreNotLabelledAsConfiguration() throws {
        let table = ExportImportTests.unique("imp-label")
        try ExportImportTests.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let unwritable = try LocalDynamoDB.tool(
            ["export", table, "-o", "/nonexistent/x.json"], in: directory.path)
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr.contains("cannot write /nonexistent/x.json"), "\(unwritable.stderr)")
        try directory.write(
            "same.lua",
            """
            local t = ...
            local ok, e = pcall(sentinel.migrate, { from = t, to = sentinel.table { name = t, partition_key = "id" } })
            print(e)
            """)
        let same = try CommandRunner.run(
            ["run", "--endpoint-url", try LocalDynamoDB.endpoint(), "same.lua", table], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(
            same.stdout.contains("the source and the target are the same table"),
            "\(same.stdout)\(same.stderr)")
        for result in [unwritable, same] {
            #expect(
                !(result.stdout + result.stderr).contains("AWS configuration"),
                "\(result.stdout)\(result.stderr)")
        }
    }
}
