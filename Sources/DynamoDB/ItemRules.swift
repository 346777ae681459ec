import DynamoDBModel

/// The rules DynamoDB applies to an item's values when it is written, checked before anything is sent:
/// import checks every line of its files against them first, so that a file DynamoDB would refuse part
/// of writes nothing (DynamoDB refuses a whole batch, after earlier batches were written).
///
/// Numbers need no check here: an `AttributeNumber` is always one DynamoDB stores
/// (`AttributeNumber.problem(_:)`), so a number out of range never becomes part of an item.
public enum ItemRules {
    /// Why DynamoDB would refuse `item`, or nil: a key attribute (of `keyNames`) holding an empty string
    /// or binary, an empty set or a set with a duplicate element (in lists and maps too), or an item over
    /// 400 KB. Sets are compared as DynamoDB does: strings and binaries byte for byte, numbers by value
    /// (`1` and `1.0` are one element).
    public static func problem(in item: Item, keyNames: [String]) -> String? {
        for name in keyNames.sorted() {
            switch item[AttributeName(name)] {
            case .string(let text)? where text.isEmpty:
                return "key attribute '\(name)' is an empty string; DynamoDB refuses empty key values"
            case .binary(let bytes)? where bytes.isEmpty:
                return "key attribute '\(name)' is an empty binary; DynamoDB refuses empty key values"
            default: break
            }
        }
        for (name, value) in item.sorted(by: { $0.key < $1.key }) {
            if let problem = setProblem(value, path: name.text) { return problem }
        }
        let size = ItemSize.of(item)
        if size > ItemSize.limit {
            return "the item is \(ItemTooLarge.grouped(size)) bytes; DynamoDB refuses items over 400 KB "
                + "(\(ItemTooLarge.grouped(ItemSize.limit)) bytes)"
        }
        return nil
    }

    /// The first set in `value` (itself, or within its lists and maps) that is empty or repeats an
    /// element, described at `path`.
    private static func setProblem(_ value: AttributeValue, path: String) -> String? {
        switch value {
        case .stringSet(let texts):
            return setProblem(texts.map { Array($0.utf8) }, path: path) {
                "\"\(String(decoding: $0, as: UTF8.self))\""
            }
        case .numberSet(let numbers):
            return setProblem(numbers.map { Array($0.canonical.text.utf8) }, path: path) {
                String(decoding: $0, as: UTF8.self)
            }
        case .binarySet(let blobs):
            return setProblem(blobs, path: path) { "<\($0.count) bytes>" }
        case .list(let elements):
            for (offset, element) in elements.enumerated() {
                if let problem = setProblem(element, path: "\(path)[\(offset)]") { return problem }
            }
            return nil
        case .map(let members):
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let problem = setProblem(member, path: "\(path).\(name.text)") { return problem }
            }
            return nil
        default:
            return nil
        }
    }

    /// `elements` as bytes that are equal exactly when DynamoDB holds the elements equal.
    private static func setProblem(_ elements: [[UInt8]], path: String, show: ([UInt8]) -> String) -> String?
    {
        if elements.isEmpty { return "'\(path)' is an empty set; DynamoDB refuses empty sets" }
        var seen = Set<[UInt8]>()
        for element in elements where !seen.insert(element).inserted {
            let shown = show(Array(element.prefix(100)))
            return "'\(path)' holds \(shown) twice; DynamoDB refuses sets with duplicate elements"
        }
        return nil
    }
}
