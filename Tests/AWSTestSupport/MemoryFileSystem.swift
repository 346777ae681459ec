import AWS

/// Files held in memory, so configuration tests never read the real home directory.
package struct MemoryFileSystem: FileSystem {
    package var files: [String: String]

    package init(files: [String: String]) { self.files = files }

    package func contents(atPath path: String) throws(DynamoDBError) -> [UInt8]? {
        files[path].map { Array($0.utf8) }
    }
}

/// An environment with nothing AWS in it but a home directory and instance metadata switched off.
package let quietEnvironment = ["HOME": "/home/tester", "AWS_EC2_METADATA_DISABLED": "true"]
