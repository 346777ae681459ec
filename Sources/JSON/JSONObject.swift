/// A JSON object whose members keep their order.
///
/// Order matters to us twice: the writer must produce the same bytes for the same value, and
/// documents we render (a CreateTable request, a schema) read best in a chosen order rather than a
/// hash order. Lookups are linear, which is faster than hashing for the small objects JSON APIs use.
/// Keys are unique by their bytes (see ``ExactString``): setting an existing key replaces its value
/// in place.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One member of the object.
    public typealias Element = (key: String, value: JSONValue)

    /// The members in order.
    public private(set) var members: [Element]

    /// An empty object.
    public init() {
        members = []
    }

    /// An object from members in order; when a key repeats, its first position is kept with its last
    /// value.
    public init(_ members: some Sequence<(String, JSONValue)>) {
        self.members = []
        for (key, value) in members {
            self[key] = value
        }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// The value for `key`, or `nil` when absent. Setting `nil` removes the member; setting a new key
    /// appends it at the end.
    public subscript(key: String) -> JSONValue? {
        get {
            members.first { $0.key.hasSameBytes(as: key) }?.value
        }
        set {
            let index = members.firstIndex { $0.key.hasSameBytes(as: key) }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// Appends a member whose key the caller knows to be new: the parser checks keys with a set, and
    /// going through the subscript's linear search would make large objects quadratic.
    mutating func appendNewMember(_ key: String, _ value: JSONValue) {
        members.append((key, value))
    }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    public func makeIterator() -> IndexingIterator<[Element]> {
        members.makeIterator()
    }

    /// Objects are equal when they have the same members in the same order, since order is part of
    /// what the writer produces.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy {
                $0.key.hasSameBytes(as: $1.key) && $0.value == $1.value
            }
    }
}
