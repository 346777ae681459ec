import Foundation
import Testing

/// Multi-account global tables as scripts/dynamodb-delay-proxy emulates them over moto: a request signed
/// with a 12-digit access key id acts in that account (moto's `x-moto-account-id`), and a CreateTable with
/// `GlobalTableSourceArn` in one account makes a replica of the source table in another, once the source's
/// resource policy lets that account join and the replication principal replicate. boto3 drives it.
@Suite struct DelayProxyAccountReplicaTests {
    static let source = "111122223333"
    static let other = "444455556666"

    /// Helpers after DelayProxyReplicaTests' prelude: `in_account(region, account)` (a client whose access
    /// key id is the account), the replication statement and the join statement of the tutorial's policies.
    static func helpers(table: String) -> String {
        """
        A, B, T = '\(source)', '\(other)', '\(table)'
        def in_account(region, account, direct=False):
            return boto3.client('dynamodb', endpoint_url=MOTO if direct else PROXY, region_name=region,
                                aws_access_key_id=account, aws_secret_access_key='secret')
        a, b = in_account('us-east-2', A), in_account('us-east-1', B)
        source_arn = 'arn:aws:dynamodb:us-east-2:%s:table/%s' % (A, T)
        replica_arn = 'arn:aws:dynamodb:us-east-1:%s:table/%s' % (B, T)
        def replication(resource):
            return {'Sid': 'DynamoDBActionsNeededForSteadyStateReplication', 'Effect': 'Allow', 'Resource': resource,
                    'Action': ['dynamodb:ReadDataForReplication', 'dynamodb:WriteDataForReplication',
                               'dynamodb:ReplicateSettings'],
                    'Principal': {'Service': ['replication.dynamodb.amazonaws.com']},
                    'Condition': {'StringEquals': {'aws:SourceAccount': [B, A], 'aws:SourceArn': [replica_arn, source_arn]}}}
        join = {'Sid': 'AllowTrustedAccountsToJoinThisGlobalTable', 'Effect': 'Allow', 'Resource': source_arn,
                'Action': ['dynamodb:AssociateTableReplica'], 'Principal': {'AWS': [B]}}
        def policy(*statements):
            return json.dumps({'Version': '2012-10-17', 'Statement': list(statements)})
        def join_from_b(**extra):
            return attempt(b.create_table, TableName=T, GlobalTableSourceArn=source_arn,
                           GlobalTableSettingsReplicationMode='ENABLED', **extra)
        a.create_table(TableName=T, KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                       AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST',
                       StreamSpecification={'StreamEnabled': True, 'StreamViewType': 'NEW_AND_OLD_IMAGES'},
                       GlobalTableSettingsReplicationMode='ENABLED')
        poll(lambda: a.describe_table(TableName=T)['Table']['TableStatus'], lambda status: status == 'ACTIVE')

        """
    }

    @Test func eachAccountIsItsOwnAndStsSaysWhich() throws {
        let proxy = try DelayProxy(delay: 0.5)
        let table = DelayProxyReplicaTests.name("ma-accounts")
        let printed = try DelayProxyReplicaTests.run(
            Self.helpers(table: table) + """
                sts = lambda account: boto3.client('sts', endpoint_url=PROXY, region_name='us-east-1',
                    aws_access_key_id=account, aws_secret_access_key='secret')
                print('sts:', sts(A).get_caller_identity()['Account'], sts(B).get_caller_identity()['Account'])
                print('source arn:', a.describe_table(TableName=T)['Table']['TableArn'] == source_arn)
                print('mode:', a.describe_table(TableName=T)['Table']['GlobalTableSettingsReplicationMode'])
                print('other account:', attempt(in_account('us-east-2', B).describe_table, TableName=T).split(':')[0])
                """, through: proxy)
        #expect(printed["sts"] == "\(Self.source) \(Self.other)", "\(printed)")
        #expect(printed["source arn"] == "True", "\(printed)")
        #expect(printed["mode"] == "ENABLED", "\(printed)")
        #expect(printed["other account"] == "ResourceNotFoundException", "\(printed)")
    }

    @Test func aReplicaJoinsOnlyWhenTheSourcePolicyLetsItsAccountAndTheReplicationPrincipal() throws {
        let proxy = try DelayProxy(delay: 1)
        let table = DelayProxyReplicaTests.name("ma-join")
        let printed = try DelayProxyReplicaTests.run(
            Self.helpers(table: table) + """
                own = policy(replication(replica_arn))
                print('no policy:', join_from_b(ResourcePolicy=own))
                a.put_resource_policy(ResourceArn=source_arn, Policy=policy(replication(source_arn)))
                print('no join statement:', join_from_b(ResourcePolicy=own).split(':')[0])
                a.put_resource_policy(ResourceArn=source_arn, Policy=policy(join))
                print('no replication statement:', join_from_b(ResourcePolicy=own))
                a.put_resource_policy(ResourceArn=source_arn, Policy=policy(replication(source_arn), join))
                print('no own policy:', join_from_b())
                print('mode DISABLED:', attempt(b.create_table, TableName=T, GlobalTableSourceArn=source_arn,
                                               GlobalTableSettingsReplicationMode='DISABLED', ResourcePolicy=own))
                print('moto B before:', attempt(in_account('us-east-1', B, direct=True).describe_table, TableName=T).split(':')[0])
                a.put_item(TableName=T, Item={'id': {'S': 'before'}})
                print('joined:', join_from_b(ResourcePolicy=own))
                seen = poll(lambda: {r['RegionName']: r['ReplicaStatus'] for r in
                                     a.describe_table(TableName=T)['Table'].get('Replicas', [])},
                            lambda members: members.get('us-east-1') == 'ACTIVE')
                print('source view:', sorted((r['RegionName'], r.get('ReplicaArn'), r['GlobalTableSettingsReplicationMode'])
                                             for r in a.describe_table(TableName=T)['Table']['Replicas']))
                mine = b.describe_table(TableName=T)['Table']
                print('replica view:', mine['TableArn'] == replica_arn, mine['GlobalTableVersion'],
                      mine['GlobalTableSettingsReplicationMode'], sorted(r['RegionName'] for r in mine['Replicas']))
                print('copied:', [i['id']['S'] for i in b.scan(TableName=T)['Items']])
                b.put_item(TableName=T, Item={'id': {'S': 'from-b'}})
                print('replicated:', sorted(i['id']['S'] for i in a.scan(TableName=T)['Items']))
                print('replica policy:', 'replication.dynamodb.amazonaws.com' in b.get_resource_policy(ResourceArn=replica_arn)['Policy'])
                b.delete_table(TableName=T)
                gone = poll(lambda: a.describe_table(TableName=T)['Table'].get('Replicas'), lambda members: not members)
                print('after delete:', gone[-1], a.describe_table(TableName=T)['Table'].get('GlobalTableSettingsReplicationMode'))
                """, through: proxy)
        #expect(
            printed["no policy"]
                == "AccessDeniedException: User: arn:aws:iam::\(Self.other):root is not authorized to perform: "
                + "dynamodb:AssociateTableReplica on resource: arn:aws:dynamodb:us-east-2:\(Self.source):table/"
                + "\(table) because no resource-based policy allows the dynamodb:AssociateTableReplica action",
            "\(printed)")
        #expect(printed["no join statement"] == "AccessDeniedException", "\(printed)")
        #expect(
            printed["no replication statement"]?.hasPrefix(
                "ValidationException: The source table's resource policy does not allow") == true,
            "\(printed)")
        #expect(
            printed["no own policy"]?.hasPrefix("ValidationException: The new replica's ResourcePolicy")
                == true,
            "\(printed)")
        #expect(printed["mode DISABLED"]?.hasPrefix("ValidationException") == true, "\(printed)")
        #expect(printed["moto B before"] == "ResourceNotFoundException", "\(printed)")
        #expect(printed["joined"] == "ok", "\(printed)")
        #expect(
            printed["source view"]
                == "[('us-east-1', 'arn:aws:dynamodb:us-east-1:\(Self.other):table/\(table)', 'ENABLED'), "
                + "('us-east-2', 'arn:aws:dynamodb:us-east-2:\(Self.source):table/\(table)', 'ENABLED')]",
            "\(printed)")
        #expect(printed["replica view"] == "True 2019.11.21 ENABLED ['us-east-1', 'us-east-2']", "\(printed)")
        #expect(printed["copied"] == "['before']", "\(printed)")
        #expect(printed["replicated"] == "['before', 'from-b']", "\(printed)")
        #expect(printed["replica policy"] == "True", "\(printed)")
        #expect(printed["after delete"] == "None ENABLED", "\(printed)")
    }

    @Test func aSourceWithoutSettingsReplicationOrWithSameAccountReplicasIsRefused() throws {
        let proxy = try DelayProxy(delay: 0.5)
        let table = DelayProxyReplicaTests.name("ma-refused")
        let printed = try DelayProxyReplicaTests.run(
            Self.helpers(table: table) + """
                a.put_resource_policy(ResourceArn=source_arn, Policy=policy(replication(source_arn), join))
                own = policy(replication(replica_arn))
                a.update_table(TableName=T, GlobalTableSettingsReplicationMode='DISABLED')
                print('disabled:', a.describe_table(TableName=T)['Table']['GlobalTableSettingsReplicationMode'],
                      join_from_b(ResourcePolicy=own))
                print('same account:', attempt(in_account('us-east-1', A).create_table, TableName=T,
                      GlobalTableSourceArn=source_arn, GlobalTableSettingsReplicationMode='ENABLED', ResourcePolicy=own))
                print('missing source:', attempt(b.create_table, TableName='nope-' + T,
                      GlobalTableSourceArn=source_arn.replace(T, 'nope-' + T), GlobalTableSettingsReplicationMode='ENABLED',
                      ResourcePolicy=own).split(':')[0])
                """, through: proxy)
        #expect(
            printed["disabled"]
                == "DISABLED ValidationException: The source table's GlobalTableSettingsReplicationMode is not "
                + "ENABLED (the proxy's words)", "\(printed)")
        #expect(
            printed["same account"]?.hasPrefix("ValidationException: The replica must be in another account")
                == true, "\(printed)")
        #expect(printed["missing source"] == "ResourceNotFoundException", "\(printed)")
    }
}
