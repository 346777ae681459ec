/// An AWS partition: the DNS suffixes of its regions' endpoints.
public struct AWSPartition: Sendable, Equatable {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    public var name: String
    /// The suffix of ordinary endpoints: `amazonaws.com`.
    public var dnsSuffix: String
    /// The suffix of dual-stack (IPv4 and IPv6) endpoints: `api.aws`.
    public var dualStackDNSSuffix: String

    /// The partitions as the SDKs' `partitions.json` lists them, by region prefix; any other region
    /// is in `aws`.
    static let byRegionPrefix: [(prefix: String, partition: AWSPartition)] = [
        (
            "cn-",
            AWSPartition(
                name: "aws-cn", dnsSuffix: "amazonaws.com.cn",
                dualStackDNSSuffix: "api.amazonwebservices.com.cn")
        ),
        (
            "us-gov-",
            AWSPartition(name: "aws-us-gov", dnsSuffix: "amazonaws.com", dualStackDNSSuffix: "api.aws")
        ),
        (
            "us-isob-",
            AWSPartition(name: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", dualStackDNSSuffix: "sc2s.sgov.gov")
        ),
        (
            "us-isof-",
            AWSPartition(name: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov", dualStackDNSSuffix: "csp.hci.ic.gov")
        ),
        ("us-iso-", AWSPartition(name: "aws-iso", dnsSuffix: "c2s.ic.gov", dualStackDNSSuffix: "c2s.ic.gov")),
        (
            "eu-isoe-",
            AWSPartition(name: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk", dualStackDNSSuffix: "cloud.adc-e.uk")
        ),
        (
            "eusc-",
            AWSPartition(name: "aws-eusc", dnsSuffix: "amazonaws.eu", dualStackDNSSuffix: "amazonaws.eu")
        ),
    ]

    /// The commercial partition.
    public static let aws = AWSPartition(
        name: "aws", dnsSuffix: "amazonaws.com", dualStackDNSSuffix: "api.aws")

    /// The partition `region` belongs to.
    public static func of(region: String) -> AWSPartition {
        byRegionPrefix.first { region.hasPrefix($0.prefix) }?.partition ?? .aws
    }
}
