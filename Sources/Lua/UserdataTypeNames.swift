/// The metatable name of each registered userdata type.
///
/// A list searched in order rather than a dictionary: a state registers a dozen types, and the first
/// dictionary keyed by `ObjectIdentifier` in a process makes the Swift runtime scan every protocol
/// conformance record of the binary to check that the key is `Hashable`, which every run of the tool
/// would pay for at start (docs/performance.md, start-up).
struct UserdataTypeNames {
    private var entries: [(type: ObjectIdentifier, name: String)] = []

    subscript(type: ObjectIdentifier) -> String? {
        get {
            for entry in entries where entry.type == type { return entry.name }
            return nil
        }
        set {
            entries.removeAll { $0.type == type }
            if let newValue { entries.append((type, newValue)) }
        }
    }
}
