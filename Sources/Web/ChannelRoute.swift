import Foundation
import Hummingbird

/// A channel's addresses as one enum: the links it renders and the patterns its routes register
/// come from the same cases, so that the two cannot drift apart.
public protocol ChannelRoute {
    /// The route's address: the path, and a query when the case carries one.
    var path: String { get }
    /// Where the channel's route group is mounted ("" for the site at the root).
    static var prefix: String { get }
}

extension ChannelRoute {
    /// The router's pattern of this route, relative to the channel's group: the path without its
    /// query, each value given as `.parameter(name)` standing as `:name`.
    public var pattern: RouterPath {
        let path = self.path.prefix { $0 != "?" }.dropFirst(Self.prefix.count)
        return RouterPath(String(path).replacingOccurrences(of: Self.parameterMark, with: ":"))
    }

    /// `String.parameter`'s mark as every channel's encoder writes it in a path (a control
    /// character: never left as it is in a real address, so never taken for a parameter).
    private static var parameterMark: String { "%01" }
}

extension String {
    /// A route's value standing for the router parameter `name` (`ChannelRoute.pattern`).
    public static func parameter(_ name: String) -> String {
        "\u{1}" + name
    }
}
