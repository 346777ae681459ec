/// An item's size as DynamoDB measures it ("Item sizes and formats" in the DynamoDB developer guide),
/// and the 400 KB limit DynamoDB refuses items over.
///
/// The client checks every item it writes (PutItem, BatchWriteItem, TransactWriteItems, the values of
/// UpdateItem) before it builds a request body, so an item DynamoDB would refuse is never built into
/// JSON, signed or sent, and no caller can forget the check.
public enum ItemSize {
    /// DynamoDB's item size limit: 400 KB.
    public static let limit = 409_600

    /// The sum of each attribute's name length (UTF-8) and value size.
    public static func of(_ item: Item) -> Int {
        item.reduce(0) { $0 + $1.key.text.utf8.count + of($1.value) }
    }

    /// About what `items` take in memory while a request is built from them or a response is read into
    /// them: each item held twice (as an `Item` and as the JSON body), each about its DynamoDB size. The
    /// estimate every memory budget charges for items; `Int.max` rather than overflowing.
    public static func heldInMemory(_ items: some Sequence<Item>) -> Int {
        var total = 0
        for item in items {
            let (sum, overflow) = total.addingReportingOverflow(of(item))
            if overflow { return .max }
            total = sum
        }
        let (twice, overflow) = total.multipliedReportingOverflow(by: 2)
        return overflow ? .max : twice
    }

    /// A value's size: strings their UTF-8 length, numbers one byte per two significant digits plus
    /// one, binary its length, booleans and null one byte, lists and maps three bytes plus one per
    /// element plus their contents (names included), sets the sum of their elements.
    public static func of(_ value: AttributeValue) -> Int {
        switch value {
        case .string(let text): text.utf8.count
        case .number(let number): of(number)
        case .binary(let bytes): bytes.count
        case .bool, .null: 1
        case .list(let elements): elements.reduce(3) { $0 + 1 + of($1) }
        case .map(let entries): entries.reduce(3) { $0 + 1 + $1.key.text.utf8.count + of($1.value) }
        case .stringSet(let texts): texts.reduce(0) { $0 + $1.utf8.count }
        case .numberSet(let numbers): numbers.reduce(0) { $0 + of($1) }
        case .binarySet(let blobs): blobs.reduce(0) { $0 + $1.count }
        }
    }

    /// `(significant digits + 1) / 2 + 1`: leading and trailing zeros and the exponent do not count.
    static func of(_ number: AttributeNumber) -> Int {
        var digits = number.text.utf8.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
            .filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }[...]
        while digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits.count + 1) / 2 + 1
    }

    /// Throws ``DynamoDBError/itemTooLarge(_:)`` when `item` is over the limit. `keyNames` (when the
    /// caller knows the table's key) choose the attributes that name the item in the message.
    public static func check(_ item: Item, operation: String, tableName: String, keyNames: [String] = [])
        throws(DynamoDBError)
    {
        let size = of(item)
        guard size > limit else { return }
        throw .itemTooLarge(
            ItemTooLarge(
                operation: operation, tableName: tableName,
                item: ItemTooLarge.describe(item, keyNames: keyNames),
                size: size))
    }
}

/// An item over DynamoDB's 400 KB limit, found before any request was built: `item {id = "x"} is
/// 401,234 bytes; DynamoDB refuses items over 400 KB (409,600 bytes)`.
public struct ItemTooLarge: Sendable, CustomStringConvertible {
    public let operation: String
    public let tableName: String
    /// The item as its key shows it: `{id = "x"}`.
    public let item: String
    public let size: Int

    public var description: String {
        "\(operation) on table '\(tableName)': item \(item) is \(Self.grouped(size)) bytes; DynamoDB refuses "
            + "items over 400 KB (\(Self.grouped(ItemSize.limit)) bytes); nothing was sent"
    }

    /// The key attributes when `keyNames` are given and present; otherwise the item's small scalar
    /// attributes (a key attribute is a string, number or binary of at most 2,048 bytes), at most
    /// two, by name.
    static func describe(_ item: Item, keyNames: [String]) -> String {
        var names: [AttributeName] = keyNames.map { AttributeName($0) }.filter { item[$0] != nil }
        if names.isEmpty {
            let small = item.filter { entry in isKeyLike(entry.value) }
            names = Array(small.keys.sorted().prefix(2))
        }
        let shown = names.map { name -> String in
            switch item[name] {
            case .string(let text)?: "\(name.text) = \"\(text)\""
            case .number(let number)?: "\(name.text) = \(number.text)"
            case .binary(let bytes)?: "\(name.text) = <\(bytes.count) bytes>"
            default: name.text
            }
        }
        return "{" + shown.joined(separator: ", ") + "}"
    }

    /// Whether `value` could be a key attribute: a string, number or binary of at most 2,048 bytes.
    private static func isKeyLike(_ value: AttributeValue) -> Bool {
        switch value {
        case .string, .number, .binary: ItemSize.of(value) <= 2048
        default: false
        }
    }

    /// `401234` as `401,234`.
    package static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var text = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
