import JSON

/// Values are equal as DynamoDB compares them: strings (and string set elements) by their UTF-8
/// bytes, not by Swift's canonical equivalence, so "café" precomposed and "café" with a combining
/// accent are two key values, two set elements and two items, as they are to DynamoDB.
extension AttributeValue {
    public static func == (lhs: AttributeValue, rhs: AttributeValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let left), .string(let right)): left.hasSameBytes(as: right)
        case (.number(let left), .number(let right)): left == right
        case (.binary(let left), .binary(let right)): left == right
        case (.bool(let left), .bool(let right)): left == right
        case (.null, .null): true
        case (.map(let left), .map(let right)): left == right
        case (.list(let left), .list(let right)): left == right
        case (.stringSet(let left), .stringSet(let right)):
            left.count == right.count && zip(left, right).allSatisfy { $0.hasSameBytes(as: $1) }
        case (.numberSet(let left), .numberSet(let right)): left == right
        case (.binarySet(let left), .binarySet(let right)): left == right
        case (.string, _), (.number, _), (.binary, _), (.bool, _), (.null, _), (.map, _), (.list, _),
            (.stringSet, _), (.numberSet, _), (.binarySet, _):
            false
        }
    }

    public func hash(into hasher: inout Hasher) {
        // The case number first, so values of different types with the same contents hash apart.
        switch self {
        case .string(let text):
            hasher.combine(0)
            hasher.combine(ExactString(text))
        case .number(let number):
            hasher.combine(1)
            hasher.combine(number)
        case .binary(let bytes):
            hasher.combine(2)
            hasher.combine(bytes)
        case .bool(let flag):
            hasher.combine(3)
            hasher.combine(flag)
        case .null: hasher.combine(4)
        case .map(let members):
            hasher.combine(5)
            hasher.combine(members)
        case .list(let elements):
            hasher.combine(6)
            hasher.combine(elements)
        case .stringSet(let texts):
            hasher.combine(7)
            hasher.combine(texts.map { ExactString($0) })
        case .numberSet(let numbers):
            hasher.combine(8)
            hasher.combine(numbers)
        case .binarySet(let values):
            hasher.combine(9)
            hasher.combine(values)
        }
    }
}
