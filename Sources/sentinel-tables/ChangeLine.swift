import DynamoDB
import DynamoDBModel
import ItemFiles
import JSON
import Schema

/// How `watch` prints one change: a readable line (time, event, key, what changed) or a JSON line.
struct ChangeLine {
    /// The preset of the built-in table being watched, if it is one.
    var preset: WatchPreset?
    /// Whether highlighted lines are drawn in colour (a terminal, without `NO_COLOR`).
    var colour: Bool

    /// The longest value text shown on a readable line: a long attribute is cut, not wrapped.
    static let valueWidth = 60

    /// `2026-12-06T20:43:16Z MODIFY id="a" | status: "pending" -> "active"`, with the preset's
    /// attributes after the key and a break-glass INSERT highlighted.
    func readable(_ record: StreamRecord) -> String {
        var parts: [String] = []
        let highlighted = preset.map { $0.highlightsInserts && record.event == .insert } ?? false
        if highlighted, let preset { parts.append(preset.label) }
        parts.append(record.time?.description ?? "-")
        parts.append(record.event.rawValue.padding(6))
        parts.append(Self.attributes(record.keys, names: record.keys.keys.map(\.text).sorted()))
        let image = record.newImage ?? record.oldImage ?? [:]
        var details: [String] = []
        if let preset {
            let names = preset.summaryAttributes.filter { image[AttributeName($0)] != nil }
            if !names.isEmpty { details.append(Self.attributes(image, names: names)) }
        }
        details.append(changes(record))
        let line =
            parts.joined(separator: " ") + " | " + details.filter { !$0.isEmpty }.joined(separator: " | ")
        guard highlighted, colour else { return line }
        return "\u{1B}[1;31m" + line + "\u{1B}[0m"
    }

    /// What changed: an INSERT's attributes, a MODIFY's `name: old -> new`, `+name=value` and
    /// `-name`, a REMOVE's last attributes; what the stream's view type leaves out is said.
    private func changes(_ record: StreamRecord) -> String {
        let keyNames = Set(record.keys.keys)
        switch (record.event, record.oldImage, record.newImage) {
        case (.insert, _, let new?), (.remove, let new?, _):
            let names = new.keys.filter { !keyNames.contains($0) }.map(\.text).sorted()
            return Self.attributes(new, names: names)
        case (.modify, let old?, let new?):
            return record.changedAttributes.map { name -> String in
                let key = AttributeName(name)
                switch (old[key], new[key]) {
                case (let before?, let after?): return "\(name): \(Self.text(before)) -> \(Self.text(after))"
                case (nil, let after?): return "+\(name)=\(Self.text(after))"
                default: return "-\(name)"
                }
            }.joined(separator: " ")
        case (.modify, nil, let new?):
            return "now "
                + Self.attributes(new, names: new.keys.filter { !keyNames.contains($0) }.map(\.text).sorted())
        case (.modify, let old?, nil):
            return "was "
                + Self.attributes(old, names: old.keys.filter { !keyNames.contains($0) }.map(\.text).sorted())
        default:
            return ""
        }
    }

    /// The change as one JSON object: time, event, keys, new, old, changed, sequence, ttl.
    func json(_ record: StreamRecord) -> String {
        var object: JSONObject = [
            "event": .string(record.event.rawValue),
            "keys": ItemFileFormat.plain(record.keys),
            "sequence": .string(record.sequenceNumber),
        ]
        if let time = record.time { object["time"] = .string(time.description) }
        if let new = record.newImage { object["new"] = ItemFileFormat.plain(new) }
        if let old = record.oldImage { object["old"] = ItemFileFormat.plain(old) }
        if record.oldImage != nil || record.newImage != nil {
            object["changed"] = .array(record.changedAttributes.map(JSONValue.string))
        }
        if record.removedByTTL { object["ttl"] = .bool(true) }
        if let preset, preset.highlightsInserts, record.event == .insert {
            object["highlight"] = .string(preset.label)
        }
        return JSONWriter(style: .compact).string(from: .object(object))
    }

    private static func attributes(_ item: Item, names: [String]) -> String {
        names.compactMap { name in item[AttributeName(name)].map { "\(name)=\(text($0))" } }
            .joined(separator: " ")
    }

    /// A value as compact JSON, cut at ``valueWidth`` characters.
    static func text(_ value: AttributeValue) -> String {
        let text = JSONWriter(style: .compact).string(from: ItemFileFormat.plain(value))
        guard text.count > valueWidth else { return text }
        return String(text.prefix(valueWidth - 1)) + "…"
    }
}

extension String {
    /// The text with spaces added to `width` characters.
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
