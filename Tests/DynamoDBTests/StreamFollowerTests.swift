import AWSTestSupport
import DynamoDB
import Foundation
import Testing

/// The stream follower against a scripted DynamoDB Streams: shards listed over several DescribeStream
/// pages (a child before its parent), the parent read to its end before the child is started, and an
/// expired iterator renewed after the last record seen. (moto's streams never split a shard.)
@Suite struct StreamFollowerTests {
    static func record(_ sequence: Int, _ id: String) -> String {
        #"{"eventName":"MODIFY","dynamodb":{"ApproximateCreationDateTime":1.7e9,"Keys":{"id":{"S":"\#(id)"}},"#
            + #""NewImage":{"id":{"S":"\#(id)"},"n":{"N":"\#(sequence)"}},"SequenceNumber":"\#(sequence)"}}"#
    }

    /// The scripted service: `parent` (closed, 100-150) and its `child` (open, from 200).
    static func answer(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Action {
        let operation =
            (request.header("X-Amz-Target") ?? "").split(separator: ".").last.map(String.init) ?? ""
        let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        switch operation {
        case "DescribeTable":
            return .json(
                200,
                #"{"Table":{"TableName":"t","TableStatus":"ACTIVE","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"#
                    + #""StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},"LatestStreamArn":"arn:s"}}"#
            )
        case "DescribeStream":
            let child =
                #"{"ShardId":"child","ParentShardId":"parent","SequenceNumberRange":{"StartingSequenceNumber":"200"}}"#
            let parent =
                #"{"ShardId":"parent","SequenceNumberRange":{"StartingSequenceNumber":"100","EndingSequenceNumber":"150"}}"#
            let page =
                body["ExclusiveStartShardId"] == nil
                ? #""Shards":[\#(child)],"LastEvaluatedShardId":"child""# : #""Shards":[\#(parent)]"#
            return .json(
                200,
                #"{"StreamDescription":{"StreamArn":"arn:s","StreamStatus":"ENABLED","StreamViewType":"NEW_AND_OLD_IMAGES",\#(page)}}"#
            )
        case "GetShardIterator":
            let shard = body["ShardId"] as? String ?? "?"
            let after = body["SequenceNumber"] as? String
            return .json(200, #"{"ShardIterator":"it-\#(shard)-\#(after.map { "after" + $0 } ?? "0")"}"#)
        case "GetRecords":
            switch body["ShardIterator"] as? String {
            case "it-parent-0":
                return .json(
                    200,
                    #"{"Records":[\#(record(100, "a")),\#(record(110, "b"))],"NextShardIterator":"it-parent-1"}"#
                )
            case "it-parent-1":
                // Iterators last 15 minutes: this one has expired; the follower asks again after 110.
                return .json(
                    400,
                    #"{"__type":"com.amazonaws.dynamodb.v20120810#ExpiredIteratorException","message":"expired"}"#
                )
            case "it-parent-after110":
                return .json(200, #"{"Records":[\#(record(150, "a"))]}"#)  // closed and read to its end
            case "it-child-0":
                return .json(200, #"{"Records":[\#(record(200, "a"))],"NextShardIterator":"it-child-1"}"#)
            default:
                return .json(200, #"{"Records":[],"NextShardIterator":"it-child-1"}"#)
            }
        default:
            return .json(400, #"{"__type":"UnknownOperationException"}"#)
        }
    }

    @Test func aParentShardIsReadToItsEndBeforeItsChild() async throws {
        let server = try await LocalHTTPServer.start { _, request in Self.answer(request) }
        let client = RetryTests.client(server)
        do {
            let follower = try await StreamFollower.open(client: client, tableName: "t", start: .trimHorizon)
            var sequences: [String] = []
            for _ in 0..<10 {
                let round = try await follower.nextRound()
                sequences += round.records.map(\.sequenceNumber)
                if round.caughtUp && sequences.count >= 4 { break }
            }
            #expect(sequences == ["100", "110", "150", "200"])
            let operations = server.requests.map { request in
                let target = request.header("X-Amz-Target") ?? ""
                return target.split(separator: ".").last.map(String.init) ?? ""
            }
            // Both DescribeStream pages were read before the first iterator was asked for.
            #expect(
                operations.prefix(4) == [
                    "DescribeTable", "DescribeStream", "DescribeStream", "GetShardIterator",
                ])
            #expect(server.requests.allSatisfy { ($0.header("X-Amz-Target") ?? "").hasPrefix("DynamoDB") })
            let childIterator = try #require(
                server.requests.firstIndex { $0.bodyText.contains(#""ShardId":"child""#) })
            let parentDrained = try #require(
                server.requests.firstIndex { $0.bodyText.contains(#""it-parent-after110""#) })
            #expect(parentDrained < childIterator)
            #expect(
                server.requests.contains {
                    $0.bodyText.contains(#""ShardIteratorType":"AFTER_SEQUENCE_NUMBER""#)
                })
            #expect(
                server.requests.filter { ($0.header("X-Amz-Target") ?? "").hasSuffix(".GetRecords") }
                    .allSatisfy {
                        $0.header("X-Amz-Target")?.hasPrefix("DynamoDBStreams_20120810.") == true
                    })
        } catch {
            try await client.shutdown()
            try await server.stop()
            throw error
        }
        try await client.shutdown()
        try await server.stop()
    }
}
