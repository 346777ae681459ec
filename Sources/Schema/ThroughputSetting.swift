import JSON

/// A setting given as per-second unit counts on the table and on each GSI (`warm_throughput = {
/// read_units =, write_units = }`, `on_demand_throughput = { max_read =, max_write = }`), described once:
/// its Lua field and sides, the member CreateTable, UpdateTable and DescribeTable name it and its sides
/// by, the billing mode it needs, how a change is made (``ChangeRule``), and its words in plans, `status`
/// and the creation summary. The Lua reader, validation, the schema document, CreateTable, the live
/// table's reading and its shape check, adoption, the diff, the plan step, the UpdateTable request and
/// the reports go through ``all`` instead of naming each setting.
///
/// A new setting of this kind touches one file: its descriptor here, in ``all`` (two with a typed
/// view such as ``WarmThroughput``). Its change goes in the one UpdateTable that also carries billing,
/// capacity and the stream (`TableDiff`'s settings step), the table's and each GSI's together.
public struct ThroughputSetting: Sendable {
    /// One side of the setting: `read_units` / `ReadUnitsPerSecond`, in words `read`.
    public struct Side: Sendable {
        public let field: String
        public let member: String
        public let word: String
    }

    /// How the live value is brought to the schema's.
    public enum ChangeRule: Sendable, Equatable {
        /// Only ever raised: a side below the live one is a blocked change with `reason`, a side above
        /// it (or not reported) sends every side the schema gives, and a side or the whole field left out
        /// leaves DynamoDB's value (warm throughput).
        case raiseOnly(reason: String)
        /// Set to exactly the schema's: a difference sends both sides, `noLimit` for a side left out,
        /// and a field left out removes the live value (on-demand limits).
        case exact(noLimit: Int)
    }

    /// Where `status` and the creation summary show the value.
    public enum Placement: Sendable, Equatable {
        /// After the billing mode (`PAY_PER_REQUEST (at most 100 read)`), and after an index's
        /// projection (`; at most 100 read`).
        case billingNote(prefix: String)
        /// A line of its own (`warm        15000 read units per second`; in the creation summary a row
        /// titled ``ThroughputSetting/title``), and after an index's projection (`; warm 15000 read`).
        case ownLine(label: String)
    }

    /// The Lua field and document member: `warm_throughput`.
    public let field: String
    /// The member CreateTable, UpdateTable and DescribeTable name it by: `WarmThroughput`.
    public let member: String
    /// The setting in words: `warm throughput`.
    public let title: String
    /// Its words before a change in a plan: `warm throughput`, `on-demand maximum`.
    public let planTitle: String
    public let sides: [Side]
    /// The billing mode it is allowed with, if only one (`PAY_PER_REQUEST`).
    public let billing: BillingMode?
    public let change: ChangeRule
    /// What leaving the field out means, for the message about an empty value.
    public let omission: String
    /// Whether `schema --from-table` writes the live value back. DynamoDB reports a warm throughput
    /// for every table, its own choice unless raised, which a schema should not pin.
    public let adopted: Bool
    /// Whether DescribeTable reports a `Status` that is `UPDATING` while a change is under way (apply
    /// waits for it).
    public let reportsStatus: Bool
    public let placement: Placement

    /// The settings, in the order documents, requests and reports list them.
    public static let all: [ThroughputSetting] = [onDemandThroughput, warmThroughput]

    /// `on_demand_throughput`: the most an on-demand table or GSI may be asked to serve.
    public static let onDemandThroughput = ThroughputSetting(
        field: "on_demand_throughput", member: "OnDemandThroughput", title: "on-demand throughput",
        planTitle: "on-demand maximum",
        sides: [
            Side(field: "max_read", member: "MaxReadRequestUnits", word: "read"),
            Side(field: "max_write", member: "MaxWriteRequestUnits", word: "write"),
        ],
        billing: .payPerRequest, change: .exact(noLimit: -1), omission: "for no limit", adopted: true,
        reportsStatus: false, placement: .billingNote(prefix: "at most"))

    /// `warm_throughput`: the rate a table or GSI can serve at once, raised ahead of a peak.
    public static let warmThroughput = ThroughputSetting(
        field: "warm_throughput", member: "WarmThroughput", title: "warm throughput",
        planTitle: "warm throughput",
        sides: [
            Side(field: "read_units", member: "ReadUnitsPerSecond", word: "read"),
            Side(field: "write_units", member: "WriteUnitsPerSecond", word: "write"),
        ],
        billing: nil,
        change: .raiseOnly(
            reason:
                "DynamoDB can only increase warm throughput, never decrease it; it also raises it by itself with use"
        ), omission: "to keep DynamoDB's", adopted: false, reportsStatus: true,
        placement: .ownLine(label: "warm"))

    /// The setting whose Lua field is `field`.
    public static func named(_ field: String) -> ThroughputSetting? {
        all.first { $0.field == field }
    }

    /// The Lua fields of the sides, in order: `read_units`, `write_units`.
    public var sideFields: [String] { sides.map(\.field) }

    // MARK: Forms

    /// The value as the schema document and `status --json` write it: `{ read_units = 15000 }`.
    public func document(_ units: ThroughputUnits) -> JSONValue {
        var object = JSONObject()
        for side in sides { object[side.field] = units[side.field].map { JSONValue($0) } }
        return .object(object)
    }

    /// The member CreateTable takes, with the sides given (none when no side is); the same for a raise.
    public func request(_ units: ThroughputUnits) -> JSONValue? {
        guard !units.isEmpty else { return nil }
        var object = JSONObject()
        for side in sides { object[side.member] = units[side.field].map { JSONValue($0) } }
        return .object(object)
    }

    /// The member an UpdateTable sends to bring the value to `wanted` (nil: the field left out).
    public func updateRequest(_ wanted: ThroughputUnits?) -> JSONValue? {
        switch change {
        case .raiseOnly:
            return wanted.flatMap(request)
        case .exact(let noLimit):
            var object = JSONObject()
            for side in sides { object[side.member] = JSONValue(wanted?[side.field] ?? noLimit) }
            return .object(object)
        }
    }

    /// The value DescribeTable reports in `described` (the table or a GSI): a side of at least 1 counts
    /// (DynamoDB says -1, or nothing, for no limit); nothing counted is nil.
    public func describedValue(in described: JSONValue?) -> ThroughputUnits? {
        var units = ThroughputUnits()
        for side in sides {
            if let value = described?[member]?[side.member]?.intValue, value > 0 { units[side.field] = value }
        }
        return units.isEmpty ? nil : units
    }

    /// Whether `described` (the table or a GSI) reports the value being changed.
    public func isUpdating(in described: JSONValue?) -> Bool {
        reportsStatus && described?[member]?["Status"]?.stringValue == "UPDATING"
    }

    /// The members of DescribeTable's value that report progress, not the setting: `Status`.
    public var describedProgress: [String] { reportsStatus ? ["Status"] : [] }

    /// The value in words: `15000 read, 5000 write`; `none` for no value.
    public func describe(_ units: ThroughputUnits?) -> String {
        guard let units, !units.isEmpty else { return "none" }
        return sides.compactMap { side in units[side.field].map { "\($0) \(side.word)" } }
            .joined(separator: ", ")
    }

    /// A change in a plan: `warm throughput 12000 read -> 15000 read`, `by-sku on-demand maximum none ->
    /// 100 read`. A raise-only setting shows the live value of the sides the schema gives (the others are
    /// left as they are).
    public func summary(_ change: ThroughputChange) -> String {
        let owner = change.index.map { "\($0) " } ?? ""
        var from = change.from
        if case .raiseOnly = self.change, let live = change.from {
            var given = ThroughputUnits()
            for side in sides where change.to?[side.field] != nil { given[side.field] = live[side.field] }
            from = given
        }
        return "\(owner)\(planTitle) \(describe(from)) -> \(describe(change.to))"
    }

    // MARK: Rules

    /// Each problem with `units` given at `path` (`gsis[1].warm_throughput`) on a table billed `billing`.
    public func problems(_ units: ThroughputUnits, at path: String, billing: BillingMode)
        -> [(path: String, message: String)]
    {
        var problems: [(path: String, message: String)] = []
        if let required = self.billing, billing != required, billing.isKnown {
            problems.append((path, "\(title) is only allowed with billing mode \(required.rawValue)"))
        }
        if units.isEmpty {
            let given =
                sideFields.count > 1 ? sideFields.joined(separator: ", ") + " or both" : sideFields.joined()
            problems.append((path, "give \(given) (leave \(field) out \(omission))"))
        }
        for side in sides {
            if let value = units[side.field], value < 1 {
                problems.append(("\(path).\(side.field)", "must be at least 1, got \(value)"))
            }
        }
        return problems
    }

    /// Whether the schema's value applies with `billing` (a value for another mode is not compared).
    public func applies(with billing: BillingMode) -> Bool {
        self.billing.map { $0 == billing } ?? true
    }

    /// Why a side cannot go down, for a raise-only setting.
    public var decreaseReason: String? {
        if case .raiseOnly(let reason) = change { reason } else { nil }
    }

    /// The change that brings `live` to `wanted` (nil when none is needed), and each side that cannot
    /// be made (a raise-only side below the live one, with ``decreaseReason``).
    public func change(from live: ThroughputUnits?, to wanted: ThroughputUnits?, index: String?)
        -> (change: ThroughputChange?, decreases: [(side: String, live: Int, wanted: Int)])
    {
        switch change {
        case .exact:
            return (
                wanted == live ? nil : ThroughputChange(field: field, index: index, from: live, to: wanted),
                []
            )
        case .raiseOnly:
            guard let wanted else { return (nil, []) }
            var decreases: [(side: String, live: Int, wanted: Int)] = []
            var raises = false
            for side in sides {
                guard let value = wanted[side.field] else { continue }
                if let current = live?[side.field] {
                    if value < current {
                        decreases.append((side.field, current, value))
                    } else if value > current {
                        raises = true
                    }
                } else {
                    raises = true
                }
            }
            // Every side the schema gives is sent, as Terraform sends it, so a server that replaces the
            // value rather than merging it (moto) keeps the other side too.
            let change = raises ? ThroughputChange(field: field, index: index, from: live, to: wanted) : nil
            return (change, decreases)
        }
    }
}

/// Per-second unit counts by side (`read_units = 15000`), as a ``ThroughputSetting`` gives them: a side
/// left out is absent.
public struct ThroughputUnits: Sendable, Equatable {
    private var values: [String: Int]

    public init(_ values: [String: Int] = [:]) {
        self.values = values
    }

    public subscript(side: String) -> Int? {
        get { values[side] }
        set { values[side] = newValue }
    }

    /// No side given.
    public var isEmpty: Bool { values.isEmpty }
}

/// A ``ThroughputSetting`` being changed on the table (`index` nil) or one GSI, from the live value to
/// the schema's (nil: none).
public struct ThroughputChange: Sendable, Equatable {
    /// The setting's Lua field: `warm_throughput`.
    public var field: String
    /// The GSI it is changed on; nil for the table.
    public var index: String?
    public var from: ThroughputUnits?
    public var to: ThroughputUnits?

    public init(field: String, index: String? = nil, from: ThroughputUnits?, to: ThroughputUnits?) {
        self.field = field
        self.index = index
        self.from = from
        self.to = to
    }

    /// Its descriptor.
    public var setting: ThroughputSetting? { ThroughputSetting.named(field) }
}

/// What holds ``ThroughputSetting`` values by field (a schema, a GSI, a live table): the typed views
/// `onDemandThroughput` and `warmThroughput` are given once, here.
public protocol ThroughputHolder {
    var throughput: [String: ThroughputUnits] { get set }
}

extension ThroughputHolder {
    /// The on-demand limits (`on_demand_throughput`), only with `PAY_PER_REQUEST`; `nil` for none.
    public var onDemandThroughput: OnDemandThroughput? {
        get { OnDemandThroughput(throughput[ThroughputSetting.onDemandThroughput.field]) }
        set { throughput[ThroughputSetting.onDemandThroughput.field] = newValue?.units }
    }

    /// The warm throughput (`warm_throughput`); `nil` leaves (or reports) none.
    public var warmThroughput: WarmThroughput? {
        get { WarmThroughput(throughput[ThroughputSetting.warmThroughput.field]) }
        set { throughput[ThroughputSetting.warmThroughput.field] = newValue?.units }
    }
}
