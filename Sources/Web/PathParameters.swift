import Foundation
import Hummingbird

extension Parameters {
    /// A path parameter as the client meant it: the router keeps a segment as it was sent, so its
    /// percent-escapes are decoded here (a link built from it encodes it once, not twice).
    public func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        return raw.removingPercentEncoding ?? raw
    }
}
