import AWS
import Testing

@Suite struct XMLTreeTests {
    @Test func readsWhatSTSWrites() throws {
        let document = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult>
                <Arn>arn:aws:iam::123456789012:user/a&amp;b</Arn>
                <UserId attr='x>y'>AIDA&#65;&#x42;</UserId>
                <Account><![CDATA[123456789012]]></Account>
                <Empty/>
              </GetCallerIdentityResult>
              <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
            </GetCallerIdentityResponse>
            """
        let root = try XMLTree.parse(Array(document.utf8))
        #expect(root.name == "GetCallerIdentityResponse")
        let result = try #require(root.child("GetCallerIdentityResult"))
        #expect(result.child("Arn")?.text == "arn:aws:iam::123456789012:user/a&b")
        #expect(result.child("UserId")?.text == "AIDAAB")
        #expect(result.child("Account")?.text == "123456789012")
        #expect(result.child("Empty")?.text == "")
        #expect(root.descendant("ResponseMetadata", "RequestId")?.text == "r-1")
    }

    @Test(arguments: [
        "", "just text", "<a>", "<a></b>", "<a>&bogus;</a>", "<a>&#xFFFFFFFF;</a>", "<a/>trailing",
        "<a><!-- open</a>",
        "<>", "<a>&amp</a>",
    ])
    func malformedDocumentsAreErrorsNotTraps(_ text: String) {
        #expect(throws: XMLTree.ParseError.self) { try XMLTree.parse(Array(text.utf8)) }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        let error = #expect(throws: XMLTree.ParseError.self) { try XMLTree.parse(Array(deep.utf8)) }
        #expect(error?.problem.contains("nested deeper") == true)
    }
}
