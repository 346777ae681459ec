extension LuaValue {
    /// About how many bytes Lua allocates to hold this value once pushed (Lua 5.4 on 64 bits: a string
    /// is a 24-byte header plus its bytes and a terminator, a table a 56-byte header plus 16 bytes an
    /// array slot or 32 a hash node). Counting stops once past `ceiling`: the caller only asks whether
    /// the value fits, so a huge or deeply shared value costs no more to measure than the budget.
    func luaFootprint(ceiling: Int) -> Int {
        var total = 0
        add(to: &total, ceiling: ceiling, depth: 0)
        return total
    }

    private func add(to total: inout Int, ceiling: Int, depth: Int) {
        guard total <= ceiling, depth <= maximumNestingDepth else { return }
        switch self {
        case .nil, .boolean, .integer, .number, .function, .userdata, .thread:
            return
        case .string(let string):
            total = Self.sum(total, 25, string.bytes.count)
        case .array(let elements):
            total = Self.sum(total, 56, Self.product(16, elements.count))
            for element in elements {
                element.add(to: &total, ceiling: ceiling, depth: depth + 1)
                if total > ceiling { return }
            }
        case .map(let entries):
            total = Self.sum(total, 56, Self.product(32, entries.count))
            for (key, element) in entries {
                key.add(to: &total, ceiling: ceiling, depth: depth + 1)
                element.add(to: &total, ceiling: ceiling, depth: depth + 1)
                if total > ceiling { return }
            }
        }
    }

    /// Sums that stop at Int.max instead of trapping.
    private static func sum(_ values: Int...) -> Int {
        values.reduce(0) { total, value in
            let (result, overflow) = total.addingReportingOverflow(value)
            return overflow ? Int.max : result
        }
    }

    private static func product(_ a: Int, _ b: Int) -> Int {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : result
    }
}
