import Foundation
import Testing

/// `sentinel-tables repl` in a pseudo-terminal, driven by Python's pexpect as a person would type.
@Suite("repl in a terminal")
struct REPLTerminalTests {
    /// The pexpect scenarios; each exits non-zero with what it saw when the REPL misbehaves.
    static let driver = #"""
        import os, sys, time, pexpect

        binary, scenario, state, endpoint = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
        env = dict(os.environ, XDG_STATE_HOME=state, TERM="xterm")

        def start(arguments=()):
            child = pexpect.spawn(binary, ["repl", *arguments], env=env, encoding="utf-8", timeout=15,
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
        elif scenario == "table-names":
            # The table is made by boto3 on the server; the REPL learns its name from ListTables.
            import boto3, uuid
            name = "ct-complete-" + uuid.uuid4().hex[:8] + "-alpha"
            boto3.client("dynamodb", endpoint_url=endpoint).create_table(
                TableName=name, BillingMode="PAY_PER_REQUEST",
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
            child = start(["--endpoint-url", endpoint])
            child.send('db.describe("' + name[:-4] + "\t")
            child.expect_exact("lpha")
            child.sendline('").TableName')
            child.expect_exact('"' + name + '"')
            child.expect_exact("> ")
            child.send(f"sentinel.find.active_sessions {{ table = '{name[:-5]}\t")
            child.expect_exact("alpha")
            time.sleep(0.3)
            child.sendintr()
            child.expect_exact("> ")
            finish(child)
        elif scenario == "interrupt-scan":
            # `endpoint` is a proxy that holds every Scan response for half a minute.
            child = start(["--endpoint-url", endpoint])
            child.sendline('db.scan("ct-slow-scan")')
            time.sleep(1.0)
            child.sendintr()
            # Well within the proxy's half minute: the prompt came back because of Ctrl-C.
            child.expect_exact("interrupted", timeout=15)
            child.expect_exact("> ")
            child.sendline("6 * 7")
            child.expect_exact("42")
            finish(child)
        elif scenario == "banner":
            child = pexpect.spawn(binary, ["repl"], env=env, encoding="utf-8", timeout=15, dimensions=(24, 100))
            child.expect_exact("a Lua 5.4 prompt")
            child.expect_exact('help() lists the API')
            child.expect_exact("> ")
            finish(child)
        elif scenario == "eof-while-running":
            child = start()
            # A statement that runs for a second; Ctrl-D is pressed while it runs.
            child.sendline("local t = os.clock() while os.clock() - t < 1 do end")
            time.sleep(0.4)
            child.sendeof()
            child.expect_exact("> ", timeout=10)
            child.sendline("=#'ab'")
            child.expect_exact("2")
            if "unexpected symbol" in child.before:
                sys.exit("the Ctrl-D landed in the next line: " + repr(child.before))
            child.expect_exact("> ")
            # Again, and now Ctrl-D at the empty prompt must leave.
            child.sendline("local t = os.clock() while os.clock() - t < 1 do end")
            time.sleep(0.4)
            child.sendeof()
            child.expect_exact("> ", timeout=10)
            time.sleep(0.3)
            child.sendeof()
            try:
                child.expect(pexpect.EOF, timeout=5)
            except pexpect.TIMEOUT:
                sys.exit("Ctrl-D at the prompt did not leave: " + repr(child.before))
            child.close()
            if child.exitstatus != 0:
                sys.exit("exit status %r" % child.exitstatus)
        elif scenario == "eof-at-continuation":
            # lua.c's behaviour: Ctrl-D at `>>` reports the unfinished statement and prompts again.
            child = start()
            child.sendline("function f()")
            child.expect_exact(">> ")
            time.sleep(0.3)
            child.sendeof()
            child.expect_exact("stdin:1: 'end' expected near <eof>")
            child.expect_exact("> ")
            child.sendline("6 * 7")
            child.expect_exact("42")
            child.expect_exact("> ")
            finish(child)
        elif scenario == "multibyte-input":
            # Typed, not piped: libedit reads CJK, accents and emoji whole, even where the locale is C.
            for locale in ("C", "C.UTF-8"):
                child = pexpect.spawn(binary, ["repl"], env=dict(env, LC_ALL=locale), encoding="utf-8",
                                      timeout=15, dimensions=(24, 100))
                child.expect_exact("> ")
                time.sleep(0.3)
                child.sendline("=#'\u4e2d\u00e9\U0001F600', '\u4e2d\u00e9\U0001F600'")
                child.expect_exact('9\t"\u4e2d\u00e9\U0001F600"')
                child.expect_exact("> ")
                finish(child)
        elif scenario == "cell-widths":
            # A 40-column terminal and items in CJK, with combining marks and emoji: every line fits in
            # 40 cells and the columns line up, measured in cells (East Asian wide = 2, marks = 0).
            import re, unicodedata

            def cells(text):
                total = 0
                for c in text:
                    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
                        continue
                    total += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
                return total

            child = pexpect.spawn(binary, ["repl"], env=env, encoding="utf-8", timeout=15, dimensions=(24, 40))
            child.expect_exact("> ")
            child.sendline(r"items = { { id = '\u{4E2D}\u{6587}\u{540D}\u{524D}', note = 'cafe\u{301} \u{1F600} ok', who = 'x' }, "
                           r"{ id = 'ascii', note = '\u{65E5}\u{672C}\u{8A9E}\u{306E}\u{8AAC}\u{660E}\u{6587}\u{3067}\u{3059}"
                           r"\u{FF01}\u{9577}\u{3044}\u{8AAC}\u{660E}\u{6587}\u{3067}\u{3059}\u{FF01}', who = 'y' } }")
            child.expect_exact("> ")
            child.sendline("=items")
            child.expect(r"\(2 items[^)]*\)")
            table = child.before.replace("\r", "")
            lines = [line for line in table.split("\n") if line.strip()][1:]
            ansi = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
            lines = [ansi.sub("", line) for line in lines]
            if len(lines) < 4:
                sys.exit("no table: " + repr(table))
            for line in lines:
                if cells(line) > 40:
                    sys.exit("wider than 40 cells (%d): %r" % (cells(line), line))
            # The second column starts at the same cell in the header and every row.
            def second_column(line):
                match = re.match(r"^(\S+(?: \S+)*?)  +\S", line)
                return cells(line[:match.end() - 1]) if match else None
            starts = {second_column(line) for line in [lines[0]] + lines[2:4]}
            if len(starts) != 1:
                sys.exit("columns do not line up: %r" % lines)
            child.expect_exact("> ")
            finish(child)
        else:
            sys.exit("unknown scenario " + scenario)
        """#

    @Test(arguments: [
        "expressions", "interrupt-running", "interrupt-prompt", "history", "completion", "table-names",
        "interrupt-scan", "banner", "eof-while-running", "eof-at-continuation", "cell-widths",
        "multibyte-input",
    ])
    func scenario(_ name: String) throws {
        // The slow scan goes through a proxy that holds Scan answers; the rest talk to the server.
        let proxy =
            name == "interrupt-scan" ? try DelayProxy(delay: 0, arguments: ["--slow", "Scan:30"]) : nil
        let endpoint = try proxy?.endpoint ?? LocalDynamoDB.endpoint()
        let state = "/tmp/ct-repl-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: state) }
        let (status, text) = try CommandRunner.runPythonDriver(
            Self.driver, arguments: [CommandRunner.executable.path, name, state, endpoint],
            environment: LocalDynamoDB.clientEnvironment)
        #expect(status == 0, "\(name): \(text)")
    }
}
