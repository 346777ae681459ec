// A benchmark helper for scripts/bench, not part of the tool: measures what a call from Lua into a
// registered Swift function costs, relative to Lua's own C function `math.abs`, in the same loop shape
// and the same state. It prints `name: value` lines that scripts/bench reads.
//
//   sentinel-bench bridge [CALLS] [ROUNDS]

import Lua

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Seconds one run of `source` takes, with `calls` as its argument.
func seconds(_ state: LuaState, _ chunk: LuaValue, calls: Int64) throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try state.call(chunk, [.integer(calls)])
    let (whole, fraction) = (clock.now - start).components
    return Double(whole) + Double(fraction) / 1e18
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.first == "bridge" else {
    print("usage: sentinel-bench bridge [CALLS] [ROUNDS]")
    exit(2)
}
let calls = arguments.dropFirst().first.flatMap { Int64($0) } ?? 10_000_000
let rounds = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 5

let state = try LuaState()
// The cheapest useful host function: one integer in, one integer out, as a counter or a lookup would be.
try state.register("identity") { call in call.returning(try call.integer(1)) }
// Both loops are the same code but for the function called, held in a local as a script would.
let host = try state.load("local f, n = identity, ... for i = 1, n do f(i) end", name: "host")
let native = try state.load("local f, n = math.abs, ... for i = 1, n do f(i) end", name: "native")

// Interleaved rounds, keeping each side's fastest: the least disturbed by whatever else the machine does.
var hostBest = Double.infinity
var nativeBest = Double.infinity
for _ in 0..<rounds {
    hostBest = min(hostBest, try seconds(state, host, calls: calls))
    nativeBest = min(nativeBest, try seconds(state, native, calls: calls))
}
print("host_seconds: \(hostBest)")
print("math_abs_seconds: \(nativeBest)")
print("bridge_call_ratio: \(hostBest / nativeBest)")
