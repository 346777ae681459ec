/// What a DynamoDB stream records for each change: `NEW_IMAGE`, `OLD_IMAGE`, `NEW_AND_OLD_IMAGES` or
/// `KEYS_ONLY`.
///
/// Held as text so a wrong name from user input reaches validation (see ``SchemaKeyword``).
public struct StreamViewType: SchemaKeyword {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The item as it is after the change.
    public static let newImage = StreamViewType(rawValue: "NEW_IMAGE")
    /// The item as it was before the change.
    public static let oldImage = StreamViewType(rawValue: "OLD_IMAGE")
    /// The item before and after.
    public static let newAndOldImages = StreamViewType(rawValue: "NEW_AND_OLD_IMAGES")
    /// Only the key attributes of the changed item.
    public static let keysOnly = StreamViewType(rawValue: "KEYS_ONLY")

    public static let allKnown: [StreamViewType] = [.newImage, .oldImage, .newAndOldImages, .keysOnly]
}
