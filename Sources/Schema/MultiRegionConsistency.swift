/// How a global table's replicas agree (`multi_region_consistency`): `EVENTUAL` (MREC, the default:
/// each write is copied to the other replicas within about a second) or `STRONG` (MRSC: a write is
/// acknowledged once it is in a second region, and strongly consistent reads see it everywhere).
///
/// DynamoDB's rules, from the developer guide's "Consistency modes": "You can't change a global
/// table's consistency mode after creation"; an MRSC table has exactly three replicas, or two and a
/// witness, all in one region set (``strongConsistencyRegionSets``); and the table must be empty when
/// MRSC is turned on.
public struct MultiRegionConsistency: SchemaKeyword {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let eventual = MultiRegionConsistency(rawValue: "EVENTUAL")
    public static let strong = MultiRegionConsistency(rawValue: "STRONG")

    public static let allKnown: [MultiRegionConsistency] = [.eventual, .strong]

    /// The region sets an MRSC global table must stay inside ("MRSC global tables can only be deployed
    /// in ... Region sets"): every replica and the witness in one of these.
    public static let strongConsistencyRegionSets: [[String]] = [
        ["us-east-1", "us-east-2", "us-west-2"],
        ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
        ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
    ]

    /// The set that holds every region of `regions`, or nil when none does.
    public static func regionSet(holding regions: [String]) -> [String]? {
        strongConsistencyRegionSets.first { set in regions.allSatisfy(set.contains) }
    }
}
