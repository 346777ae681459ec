import CFileAccess
import FileAccess
import Foundation
import TestSupport
import Testing

/// The file capability: paths beneath its directory only, no symbolic link followed, by openat2 and by
/// the component walk kernels without it get.
@Suite(.serialized) struct FileRootTests {
    /// A fresh directory holding `inside/` (the root) and `outside/`.
    struct Layout {
        let base: String
        var inside: String { base + "/inside" }
        var outside: String { base + "/outside" }

        init() throws {
            base = "/tmp/fa-" + UUID().uuidString.prefix(8)
            for directory in [base + "/inside/sub", base + "/outside"] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }

        func write(_ path: String, _ text: String) throws {
            try text.write(toFile: base + "/" + path, atomically: false, encoding: .utf8)
        }

        func link(_ path: String, to destination: String) throws {
            try FileManager.default.createSymbolicLink(
                atPath: base + "/" + path, withDestinationPath: destination)
        }

        func remove() { try? FileManager.default.removeItem(atPath: base) }
    }

    /// Runs `body` once with openat2 and once with the component walk.
    func withBothResolvers(_ body: () throws -> Void) throws {
        defer { fa_set_openat2_enabled(1) }
        for enabled: Int32 in [1, 0] {
            fa_set_openat2_enabled(enabled)
            try body()
        }
    }

    @Test func pathsThatLeaveAreRefusedByRule() throws {
        let layout = try Layout()
        defer { layout.remove() }
        let root = try FileRoot(directory: layout.inside)
        let cases: [(String, String)] = [
            ("", "is empty"), ("-", "names standard output"), ("/etc/passwd", "is an absolute path"),
            ("../outside/x", "leaves the directory through '..'"),
            ("sub/../../x", "leaves the directory through '..'"),
            (".aws/credentials", "names a hidden file or folder"),
            ("sub/.git", "names a hidden file or folder"),
        ]
        for (path, why) in cases {
            #expect(throws: FileAccessError(path: path, reason: .refused(why))) {
                _ = try root.openFile(path, flags: O_RDONLY, action: "read")
            }
        }
    }

    @Test func symbolicLinksAreNeverFollowed() throws {
        let layout = try Layout()
        defer { layout.remove() }
        try layout.write("outside/secret", "secret")
        try layout.write("inside/sub/plain", "plain")
        try layout.link("inside/escape", to: layout.outside)
        try layout.link("inside/file-link", to: layout.outside + "/secret")
        try layout.link("inside/inner-link", to: "sub/plain")
        let root = try FileRoot(directory: layout.inside)
        try withBothResolvers { () throws in
            #expect(try root.contents(of: "sub/plain") == Array("plain".utf8))
            #expect(try root.contents(of: "./sub//plain") == Array("plain".utf8))
            for path in ["escape/secret", "file-link", "inner-link", "escape"] {
                #expect(throws: FileAccessError.self, "\(path)") { _ = try root.contents(of: path) }
            }
            #expect(throws: FileAccessError.self) { try root.writeAtomically([1], to: "escape/new") }
            #expect(
                throws: FileAccessError(
                    path: "escape/x",
                    reason: .refused("leads outside the working directory or through a symbolic link"))
            ) {
                _ = try root.contents(of: "escape/x")
            }
            #expect(!FileManager.default.fileExists(atPath: layout.outside + "/new"))
        }
    }

    @Test func theUnrestrictedRootReachesAnyPath() throws {
        let layout = try Layout()
        defer { layout.remove() }
        try layout.write("outside/secret", "secret")
        try layout.link("inside/escape", to: layout.outside)
        #expect(
            try FileRoot.unrestricted.contents(of: layout.inside + "/escape/secret") == Array("secret".utf8))
    }

    @Test func aTemporaryFileAppearsWholeAndReplacesOnlyWhenAsked() throws {
        let layout = try Layout()
        defer { layout.remove() }
        let root = try FileRoot(directory: layout.inside)
        try withBothResolvers { () throws in
            try root.writeAtomically(Array("one".utf8), to: "sub/file")
            try root.writeAtomically(Array("two".utf8), to: "sub/file")
            #expect(try root.contents(of: "sub/file") == Array("two".utf8))
            let file = try root.temporaryFile(for: "sub/file")
            try file.write(Array("three".utf8))
            #expect(throws: FileAccessError(path: "sub/file", reason: .system(EEXIST, action: "write"))) {
                try file.commit(replace: false)
            }
            #expect(try root.contents(of: "sub/file") == Array("two".utf8))
            let discarded = try root.temporaryFile(for: "sub/other")
            discarded.discard()
            #expect(try FileManager.default.contentsOfDirectory(atPath: layout.inside + "/sub") == ["file"])
            try root.remove("sub/file")
        }
    }

    @Test func listingsKeepOnlyRegularFilesThatAreNotHidden() throws {
        let layout = try Layout()
        defer { layout.remove() }
        try layout.write("outside/secret.json", "{}")
        try layout.write("inside/a.json", "{}")
        try layout.write("inside/.hidden.json", "{}")
        try layout.link("inside/link.json", to: layout.outside + "/secret.json")
        #expect(mkfifo(layout.inside + "/pipe.json", 0o600) == 0)
        let root = try FileRoot(directory: layout.inside)
        let listing = try root.list(".")
        #expect(listing.files == ["a.json"])
        #expect(listing.leftOut == [".hidden.json", "link.json", "pipe.json", "sub"])
        // A pipe is refused without waiting for a writer.
        #expect(throws: FileAccessError(path: "pipe.json", reason: .wrongKind("not a regular file"))) {
            _ = try root.openForReading("pipe.json")
        }
    }

    /// A directory swapped for a symbolic link to the outside, as fast as another thread can, while
    /// files are created and read through it: nothing is ever written or read outside.
    @Test func aRacingSwapNeverLeadsOutside() throws {
        let layout = try Layout()
        defer { layout.remove() }
        try layout.write("outside/victim", "outside")
        let root = try FileRoot(directory: layout.inside)
        try FileManager.default.createDirectory(
            atPath: layout.inside + "/swap", withIntermediateDirectories: true)
        try layout.write("inside/swap/victim", "inside")
        let swapper = DirectorySwapper(directory: layout.inside, outside: layout.outside)
        defer { swapper.stop() }
        try withBothResolvers { () throws in
            for index in 0..<2000 {
                try? root.writeAtomically(Array("x".utf8), to: "swap/new-\(index)")
                if let read = try? root.contents(of: "swap/victim") {
                    #expect(read == Array("inside".utf8))
                }
            }
        }
        swapper.stop()
        let outside = try FileManager.default.contentsOfDirectory(atPath: layout.outside)
        #expect(outside == ["victim"], "written outside: \(outside)")
    }
}
