import Foundation
import Testing

/// `sentinel-tables repl` in a pseudo-terminal, driven by Python's pexpect as a person would type.
@Suite("repl in a terminal")
struct REPLTerminalTests {
    /// The pexpect scenarios; each exits non-zero with what it saw when the REPL misbehaves.
    static let driver = #"""
        import os, sys, time, pexpect

        binary, scenario, state = sys.argv[1], sys.argv[2], sys.argv[3]
        env = dict(os.environ, XDG_STATE_HOME=state, TERM="xterm")

        def start():
            child = pexpect.spawn(binary, ["repl"], env=env, encoding="utf-8", timeout=15,
                                  dimensions=(24, 100))
            child.expect_exact("> ")
            return child

        def finish(child):
            # Let the prompt settle: keys sent while libedit sets up the terminal can be dropped.
            time.sleep(0.3)
            child.sendeof()
            child.expect(pexpect.EOF)
            child.close()
            if child.exitstatus != 0:
                sys.exit("exit status %r" % child.exitstatus)

        if scenario == "expressions":
            child = start()
            child.sendline("1 + 2")
            child.expect_exact("3")
            child.expect_exact("> ")
            child.sendline("function f()")
            child.expect_exact(">> ")
            child.sendline("return 'seven' end")
            child.expect_exact("> ")
            child.sendline("=f()")
            child.expect_exact('"seven"')
            child.expect_exact("> ")
            child.sendline("error('boom')")
            child.expect_exact("stdin:1: boom")
            child.expect_exact("> ")
            finish(child)
        elif scenario == "interrupt-running":
            child = start()
            child.sendline("while true do end")
            time.sleep(0.7)
            child.sendintr()
            child.expect_exact("interrupted")
            child.expect_exact("> ")
            child.sendline("10 * 10")
            child.expect_exact("100")
            finish(child)
        elif scenario == "interrupt-prompt":
            child = start()
            child.send("undefined_function_call()")
            time.sleep(0.5)
            child.sendintr()
            child.expect_exact("> ")
            child.sendline("40 + 2")
            child.expect_exact("42")
            if "attempt to call" in child.before:
                sys.exit("the dropped line ran: " + repr(child.before))
            child.expect_exact("> ")
            finish(child)
        elif scenario == "history":
            child = start()
            child.sendline("x_hist = 5 + 37")
            child.expect_exact("> ")
            finish(child)
            path = os.path.join(state, "sentinel-tables", "history")
            # libedit escapes spaces in the file (vis(3)): look for the name only.
            if "x_hist" not in open(path, encoding="utf-8", errors="replace").read():
                sys.exit("history file lacks the statement")
            child = start()
            child.send("\x1b[A")
            time.sleep(0.3)
            child.send("\r")
            child.expect_exact("> ")
            child.sendline("=x_hist")
            child.expect_exact("42")
            finish(child)
        elif scenario == "completion":
            child = start()
            child.send("sentinel.sch\t")
            child.expect_exact("ema")  # libedit redraws only what completion added
            child.sendline(" ~= nil")
            child.expect_exact("true")
            child.expect_exact("> ")
            child.send("sentinel.schema.\t\t")
            child.expect_exact("breakglass")
            time.sleep(0.3)
            child.sendintr()
            child.expect_exact("> ")
            finish(child)
        else:
            sys.exit("unknown scenario " + scenario)
        """#

    @Test(arguments: ["expressions", "interrupt-running", "interrupt-prompt", "history", "completion"])
    func scenario(_ name: String) throws {
        let state = "/tmp/ct-repl-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: state) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.driver, CommandRunner.executable.path, name, state]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(name): \(text)")
    }
}
