import Foundation

/// A short fingerprint of the static files, computed once at start-up.
public enum AssetVersion {
    public static func of(directory: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        let files = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).sorted()
        for file in files {
            guard let data = FileManager.default.contents(atPath: directory + "/" + file) else { continue }
            for byte in file.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        return String(hash, radix: 36)
    }
}
