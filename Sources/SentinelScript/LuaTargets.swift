import Lua

/// `sentinel.target` and `sentinel.targets()`: the target a script runs on and the targets of the
/// run, so a script can vary by target (`if sentinel.target.name == "prod" then ... end`).
struct LuaTargets {
    /// The target this run is on; nil outside a run with targets.
    var current: Target?
    /// Every target of the run, in the run's order.
    var all: [Target]

    /// The module's members: `target` (a table, or absent) and `targets` (a function returning a
    /// fresh list, so a script that edits what it got changes nothing for the next caller).
    func register(in state: LuaState) -> [String: LuaValue] {
        let all = all
        var members: [String: LuaValue] = [
            "targets": state.function(named: "sentinel.targets") { call in
                try call.returning(.array(all.map(Self.value(of:))))
            }
        ]
        if let current { members["target"] = Self.value(of: current) }
        return members
    }

    /// `{ name =, profile =, region =, account =, endpoint_url =, sts_endpoint_url =, args = { ... },
    /// protect = }`, the
    /// fields of the targets file (absent when the file did not set them) and the name.
    static func value(of target: Target) -> LuaValue {
        var fields: [LuaValue: LuaValue] = [
            "name": .text(target.name), "args": .array(target.arguments.map(LuaValue.text)),
            "protect": .boolean(target.isProtected),
        ]
        if let profile = target.profile { fields["profile"] = .text(profile) }
        if let region = target.region { fields["region"] = .text(region) }
        if let account = target.account { fields["account"] = .text(account) }
        if let endpoint = target.endpointURL { fields["endpoint_url"] = .text(endpoint) }
        if let endpoint = target.stsEndpointURL { fields["sts_endpoint_url"] = .text(endpoint) }
        return .map(fields)
    }
}
