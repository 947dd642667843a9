import HummingbirdBcrypt
import NIOPosix

/// The one way into bcrypt (hummingbird-auth's `HummingbirdBcrypt`, no web framework): hashing and
/// checking staff passwords off the cooperative threads — each hash takes a quarter of a second on
/// purpose — on NIO's thread pool.
public enum PasswordHashing {
    public static func hash(_ password: String, cost: UInt8) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; with no hash (an unknown login) a hash of nothing anyone
    /// can type is checked instead, so that the answer takes as long either way.
    public static func verify(_ password: String, hash: String?) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash ?? unknownAccountHash) && hash != nil }
    }

    private static let unknownAccountHash = Bcrypt.hash("unknown-account-\(UInt64.random(in: .min ... .max))", cost: 12)
}
