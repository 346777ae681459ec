import DynamoDBModel

/// DynamoDB's account-based endpoints (`https://ACCOUNT.ddb.REGION.amazonaws.com`), chosen as the
/// SDKs' DynamoDB endpoint rules choose them from the account id the credentials carry.
///
/// `account_id_endpoint_mode` (`AWS_ACCOUNT_ID_ENDPOINT_MODE`): `preferred` (the default) uses the
/// account endpoint whenever the credentials name an account, `disabled` never does, `required` fails
/// rather than use the regional endpoint. Only the `aws` partition has them, never with FIPS; with
/// dual-stack they are `ACCOUNT.ddb.REGION.api.aws`. An endpoint given explicitly (`--endpoint-url`,
/// `AWS_ENDPOINT_URL*`, the profile) always wins.
public enum AccountIDEndpoint {
    /// `account_id_endpoint_mode`'s values.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        case preferred, disabled, required
    }

    /// The mode `AWS_ACCOUNT_ID_ENDPOINT_MODE`, else the profile's `account_id_endpoint_mode`, sets;
    /// `preferred` when neither does. Another value is an error naming the setting.
    public static func mode(
        environment: [String: String], profile: SharedConfigFiles.Profile?
    ) throws(DynamoDBError) -> Mode {
        let given: (source: String, value: String)? =
            if let value = environment["AWS_ACCOUNT_ID_ENDPOINT_MODE"]?.trimmingWhitespace(), !value.isEmpty {
                ("AWS_ACCOUNT_ID_ENDPOINT_MODE", value)
            } else if let profile, let value = profile["account_id_endpoint_mode"]?.trimmingWhitespace(),
                !value.isEmpty
            {
                ("account_id_endpoint_mode in profile '\(profile.name)'", value)
            } else {
                nil
            }
        guard let (source, value) = given else { return .preferred }
        guard let mode = Mode(rawValue: value.lowercased()) else {
            throw .configuration(
                "\(source) must be preferred, disabled or required, not '\(value.prefix(40))'")
        }
        return mode
    }

    /// The account endpoint for a request signed with credentials of `accountID` (`nil` when they
    /// name none), or `nil` when the regional endpoint applies; throws where the rules say `required`
    /// cannot be met.
    public static func endpoint(
        region: String, useFIPS: Bool, useDualStack: Bool, mode: Mode, accountID: String?
    ) throws(DynamoDBError) -> Endpoint? {
        let partition = AWSPartition.of(region: region)
        if useFIPS {
            guard mode != .required else {
                throw .configuration(
                    "account_id_endpoint_mode is required and FIPS is enabled, but there are no FIPS account endpoints"
                )
            }
            return nil
        }
        if mode != .disabled, partition.name == "aws", let accountID {
            guard isValidHostLabel(accountID) else {
                throw .configuration("the account id the credentials carry is not a valid host name label")
            }
            let suffix = useDualStack ? partition.dualStackDNSSuffix : partition.dnsSuffix
            return Endpoint(https: "\(accountID).ddb.\(region).\(suffix)")
        }
        guard mode == .required else { return nil }
        guard partition.name == "aws" else {
            throw .configuration(
                "account_id_endpoint_mode is required, but partition \(partition.name) has no account endpoints"
            )
        }
        throw .configuration(
            "account_id_endpoint_mode is required, but the credentials carry no account id "
                + "(aws_account_id, AWS_ACCOUNT_ID, an assumed role or an SSO profile give one)")
    }

    /// The endpoint rules' `isValidHostLabel`: 1 to 63 letters, digits and hyphens, not starting with a
    /// hyphen.
    static func isValidHostLabel(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...63).contains(bytes.count), bytes[0] != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
        }
    }
}
