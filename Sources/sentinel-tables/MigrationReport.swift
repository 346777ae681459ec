import DynamoDB
import JSON
import Provisioning

/// What `migrate` prints at the end: the counts, the verification, and how to switch over.
enum MigrationReport {
    static func text(_ report: TableMigration.Report) -> String {
        let copy = report.copy
        let check = report.verification
        var text: String
        if let s3 = report.s3 {
            text =
                "\(report.target): created by ImportTable; imported \(s3.importedItems) of the "
                + "\(s3.exportedItems) items exported from \(report.source) to \(s3.location)"
            if s3.importErrors > 0 { text += " (\(s3.importErrors) could not be imported)" }
            text += "\n  export \(s3.exportArn)\n  import \(s3.importArn)\n"
            text += "  the export's files stay in \(s3.location) until you delete them\n"
        } else {
            text =
                "\(report.target): \(report.created.rawValue.lowercased()); copied \(copy.copied) of "
                + "\(copy.scanned) items from \(report.source)"
            if copy.leftOut > 0 { text += " (\(copy.leftOut) left out by migrate(item))" }
            if copy.resumedSegments > 0 { text += ", resuming \(copy.resumedSegments) segments" }
            text += "\n"
        }
        text +=
            "verification: \(report.target) holds \(check.targetItems) items (expected \(check.expectedItems)); "
            + "\(check.checked) read back"
        if check.isComplete {
            text += ", all equal\n"
        } else {
            text += "\nverification FAILED"
            if !check.mismatches.isEmpty {
                text += "; missing or different in \(report.target):\n"
                for key in check.mismatches {
                    text += "  \(JSONWriter(style: .compact).string(from: AttributeValue.json(key)))\n"
                }
            } else {
                text +=
                    ": the item counts differ (was \(report.source) written to during the copy, or does "
                    + "migrate(item) give two items the same key?)\n"
            }
            if report.s3 != nil {
                // Left for the user to look at, never removed unasked; --via needs a new table to run again.
                text +=
                    "\(report.target) is left as the import made it: remove it with "
                    + "`sentinel-tables delete \(report.target)` before migrating again\n"
            }
            return text
        }
        text += """
            \(report.source) was not changed. To switch over:
              1. point Sentinel's configuration at \(report.target) instead of \(report.source), and make \
            the script return the new schema under the name \(report.target)
              2. once nothing uses \(report.source): sentinel-tables delete \(report.source)

            """
        return text
    }
}
