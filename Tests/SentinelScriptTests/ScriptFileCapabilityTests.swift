import DynamoDB
import FileAccess
import Foundation
import ItemFiles
import Lua
import Provisioning
import SentinelScript
import TestSupport
import Testing

/// Every file a script's functions reach goes through the one capability the host granted: `db.export`,
/// `db.import` (files, folder entries, checkpoints) and `sentinel.migrate`'s checkpoints stay beneath
/// its directory and follow no symbolic link, even when a directory is swapped for a link while they
/// run (the threat model in docs/architecture.md).
@Suite struct ScriptFileCapabilityTests {
    /// A scratch directory holding `work/` (the scripts' capability) and `outside/`.
    struct Layout {
        let base: String
        var work: String { base + "/work" }
        var outside: String { base + "/outside" }

        init() throws {
            base = "/tmp/sfc-" + UUID().uuidString.prefix(8)
            for directory in [work, outside] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }

        func write(_ path: String, _ text: String) throws {
            let file = base + "/" + path
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: false, encoding: .utf8)
        }

        func link(_ path: String, to destination: String) throws {
            try FileManager.default.createSymbolicLink(
                atPath: base + "/" + path, withDestinationPath: destination)
        }

        func contents(_ directory: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        }

        func remove() { try? FileManager.default.removeItem(atPath: base) }
    }

    /// Runs `script` on a thread of its own with `sentinel` installed, files beneath `files`.
    static func run(
        _ script: String, files: FileRoot, client: DynamoDBClient? = nil, arguments: [String] = []
    ) async throws -> [LuaValue] {
        try await onScriptThread {
            let state = try LuaState()
            try SentinelModule.install(
                into: state,
                services: SentinelServices(
                    controlPlane: client.map { client in { @Sendable in DynamoDBControlPlane(client: client) }
                    },
                    dynamoDB: client.map { client in { @Sendable in client } },
                    waitPolicy: WaitPolicy(firstDelay: .milliseconds(1), maximumDelay: .milliseconds(20)),
                    files: files))
            return try state.run(script, name: "files.lua", arguments: arguments.map(LuaValue.text))
        }
    }

    static let item = #"{"Item":{"id":{"S":"%@"}}}"#

    @Test func migrateCheckpointsStayInsideTheCapability() async throws {
        let layout = try Layout()
        defer { layout.remove() }
        try FileManager.default.createDirectory(
            atPath: layout.work + "/ok", withIntermediateDirectories: true)
        try layout.link("work/escape", to: layout.outside)
        let results = try await Self.run(
            """
            local to = sentinel.table { name = "never-made", partition_key = "id" }
            local out = {}
            for _, dir in ipairs { ARGV, "../outside", ".hidden", "escape", "missing" } do
              local ok, err = pcall(sentinel.migrate, { from = "t", to = to, checkpoint_dir = dir })
              out[#out + 1] = err
            end
            out[#out + 1] = select(2, coroutine.wrap(function()
              return pcall(sentinel.migrate, { from = "t", to = to, checkpoint_dir = ARGV })
            end)())
            -- A folder inside passes the capability (and then needs AWS, which this host has not).
            out[#out + 1] = select(2, pcall(sentinel.migrate, { from = "t", to = to, checkpoint_dir = "ok" }))
            return table.concat(out, "\\n")
            """.replacingOccurrences(of: "ARGV", with: "\"\(layout.outside)\""),
            files: try FileRoot(directory: layout.work))
        let lines = (results.first?.stringValue ?? "").split(separator: "\n").map(String.init)
        try #require(lines.count == 7, "\(results)")
        #expect(lines[0].contains("field 'checkpoint_dir': '\(layout.outside)' is an absolute path"))
        #expect(lines[1].contains("leaves the directory through '..'"))
        #expect(lines[2].contains("names a hidden file or folder"))
        #expect(lines[3].contains("'escape' leads outside the working directory or through a symbolic link"))
        #expect(lines[4].contains("cannot open missing: No such file or directory"))
        #expect(lines[5].contains("is an absolute path"))
        #expect(lines[6].contains("needs AWS access"))
        #expect(layout.contents(layout.outside).isEmpty)
    }

    @Test func exportAndImportStayInsideTheCapability() async throws {
        let layout = try Layout()
        defer { layout.remove() }
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("files")
            try await LocalData.createTable(client, table)
            try layout.write("work/in/a.json", String(format: Self.item, "a") + "\n")
            try layout.write("work/in/.hidden.json", String(format: Self.item, "hidden") + "\n")
            try layout.write("outside/secret.json", String(format: Self.item, "outside") + "\n")
            try layout.link("work/in/link.json", to: layout.outside + "/secret.json")
            try layout.link("work/escape", to: layout.outside)
            try FileManager.default.createDirectory(
                atPath: layout.work + "/out", withIntermediateDirectories: true)
            let results = try await Self.run(
                """
                local table_name = ...
                local db = sentinel.db
                local written = db.import(table_name, "in")
                local out = { written }
                local function refused(f, ...) local ok, e = pcall(f, ...) return ok and "accepted" or e end
                out[#out + 1] = refused(db.import, table_name, "in/link.json")
                out[#out + 1] = refused(db.import, table_name, "escape/secret.json")
                out[#out + 1] = refused(db.export, table_name, "escape/x.json")
                out[#out + 1] = refused(db.export, table_name, "/tmp/x.json")
                out[#out + 1] = db.export(table_name, "out/items.json")
                out[#out + 1] = coroutine.wrap(function() return db.export(table_name, "out/co.json") end)()
                out[#out + 1] = coroutine.wrap(function() return db.import(table_name, "in") end)()
                out[#out + 1] = coroutine.wrap(function() return refused(db.export, table_name, "escape/y.json") end)()
                local ids = {}
                for item in db.each(table_name) do ids[#ids + 1] = item.id end
                table.sort(ids)
                out[#out + 1] = table.concat(ids, ",")
                return table.concat(out, "\\30")
                """, files: try FileRoot(directory: layout.work), client: client, arguments: [table])
            let lines = (results.first?.stringValue ?? "").split(separator: "\u{1E}").map(String.init)
            try #require(lines.count == 10, "\(results)")
            #expect(lines[0] == "1")
            #expect(
                lines[1].contains(
                    "'in/link.json' leads outside the working directory or through a symbolic link"))
            #expect(lines[2].contains("'escape/secret.json' leads outside"))
            #expect(lines[3].contains("'escape/x.json' leads outside"))
            #expect(lines[4].contains("'/tmp/x.json' is an absolute path"))
            #expect(lines[5] == "1")
            #expect(lines[6] == "1")
            #expect(lines[7] == "1")
            #expect(lines[8].contains("'escape/y.json' leads outside"))
            #expect(lines[9] == "a")
            #expect(layout.contents(layout.outside) == ["secret.json"])
            #expect(layout.contents(layout.work + "/out") == ["co.json", "items.json"])
        }
    }

    @Test func importOfAFolderLeavesOutLinksAndHiddenEntries() async throws {
        let layout = try Layout()
        defer { layout.remove() }
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("folder")
            try await LocalData.createTable(client, table)
            try layout.write("work/in/a.json", String(format: Self.item, "a") + "\n")
            try layout.write("work/in/b.jsonl", String(format: Self.item, "b") + "\n")
            try layout.write("work/in/.hidden.json", String(format: Self.item, "hidden") + "\n")
            try layout.write("outside/secret.json", String(format: Self.item, "outside") + "\n")
            try layout.link("work/in/link.json", to: layout.outside + "/secret.json")
            try layout.link("work/in/dirlink.json", to: layout.outside)
            let summary = try await client.importItems(
                tableName: table, from: ["in"], in: try FileRoot(directory: layout.work))
            #expect(summary.files == ["in/a.json", "in/b.jsonl"])
            #expect(summary.leftOut == ["in/.hidden.json", "in/dirlink.json", "in/link.json"])
            #expect(summary.written == 2)
        }
    }

    /// While `db.export`, `db.import` (a file and a folder) and `sentinel.migrate` run again and again,
    /// another thread swaps a directory inside the capability for a symbolic link to a directory outside
    /// and back, as fast as it can: nothing is ever written outside, and nothing outside is ever read.
    @Test func aDirectorySwappedForALinkWhileScriptsRunNeverLeadsOutside() async throws {
        let layout = try Layout()
        defer { layout.remove() }
        try await LocalData.withClient { client, _ in
            let source = LocalData.uniqueName("race")
            let copy = source + "-copy"
            try await LocalData.createTable(client, source)
            try await LocalData.createTable(client, copy)
            for index in 0..<30 {
                _ = try await client.putItem(tableName: source, item: ["id": .string("s\(index)")])
            }
            try layout.write("work/swap/in.json", String(format: Self.item, "inside") + "\n")
            try layout.write("outside/in.json", String(format: Self.item, "outside") + "\n")
            // Some calls get through between swaps (pause), so that every route runs.
            let swapper = DirectorySwapper(directory: layout.work, outside: layout.outside, pause: 50)
            let results: [LuaValue]
            do {
                results = try await Self.run(
                    """
                    local source, copy = ...
                    local db = sentinel.db
                    local done = { export = 0, import = 0, folder = 0, migrate = 0 }
                    for i = 1, 60 do
                      local function try(name, ok, err)
                        if ok then done[name] = done[name] + 1 elseif i < 3 or (name == "migrate" and i < 9) then print(name, err) end
                      end
                      try("export", pcall(db.export, source, "swap/out-" .. i .. ".json"))
                      try("import", pcall(db.import, copy, "swap/in.json"))
                      try("folder", pcall(db.import, copy, "swap"))
                      if i % 4 == 0 then
                        local to = sentinel.table { name = source .. "-m" .. i, partition_key = "id" }
                        local run = function()
                          return sentinel.migrate { from = source, to = to, checkpoint_dir = "swap", verify = "all" }
                        end
                        -- Every other migration from a coroutine.
                        if i % 8 == 0 then run = coroutine.wrap(run) end
                        try("migrate", pcall(run))
                      end
                    end
                    return done.export, done.import, done.folder, done.migrate
                    """, files: try FileRoot(directory: layout.work), client: client,
                    arguments: [source, copy])
            } catch {
                swapper.stop()
                throw error
            }
            swapper.stop()
            #expect(layout.contents(layout.outside) == ["in.json"], "written outside")
            let ids = try await client.scanAllIDs(copy)
            #expect(!ids.contains("outside"), "read from outside")
            // The race was run: some of each call got through between swaps.
            #expect(results.count == 4)
            print("race: export, import, folder import, migrate succeeded \(results) times")
        }
    }
}

extension DynamoDBClient {
    /// Every `id` in `table`.
    fileprivate func scanAllIDs(_ table: String) async throws -> Set<String> {
        var ids: Set<String> = []
        var pages = scan(ScanRequest(tableName: table)).makeAsyncIterator()
        while let page = try await pages.next() {
            for item in page.items { if case .string(let id)? = item["id"] { ids.insert(id) } }
        }
        return ids
    }
}
