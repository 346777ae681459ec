/// The entries of a directory listed through a ``FileRoot``: its regular files, and what was left out
/// (symbolic links, hidden entries, directories, devices, pipes), both by name in name order.
public struct DirectoryListing: Sendable, Equatable {
    /// Regular files whose names do not start with `.`.
    public var files: [String]
    /// Every other entry but `.` and `..`.
    public var leftOut: [String]

    public init(files: [String], leftOut: [String]) {
        self.files = files
        self.leftOut = leftOut
    }
}
