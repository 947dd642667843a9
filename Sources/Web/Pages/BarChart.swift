import Foundation
import Templating

/// A bar chart drawn on the server as SVG (`partials/shared/bar-chart`): no script, printable, and
/// readable by a screen reader — a title and a description name it, each bar carries its label and
/// value, and the page shows the same numbers as a table beside it. Bars are horizontal for named
/// categories (the length is the value) and vertical for a run of days or hours (the height is).
public struct BarChart: TemplateObject, Sendable {
    /// One bar as drawn, its geometry in the chart's own units.
    public struct Bar: TemplateObject, Sendable {
        public let label: String
        public let value: Double
        public let shown: String
        public let x: Double, y: Double, width: Double, height: Double
        /// Where the bar's label and value are written (a vertical chart labels only some bars).
        public let labelX: Double, labelY: Double, valueX: Double, valueY: Double
        public let labelled: Bool

        public func templateValue(forKey key: String) -> TemplateValue? {
            switch key {
            case "label": .string(label)
            case "value": .string(Self.number(value))
            case "shown": .string(shown)
            case "x": .string(Self.number(x))
            case "y": .string(Self.number(y))
            case "width": .string(Self.number(width))
            case "height": .string(Self.number(height))
            case "labelX": .string(Self.number(labelX))
            case "labelY": .string(Self.number(labelY))
            case "valueX": .string(Self.number(valueX))
            case "valueY": .string(Self.number(valueY))
            case "labelled": .bool(labelled)
            default: nil
            }
        }

        /// A coordinate or value as SVG and `data-` attributes write it: a dot, at most two decimals.
        static func number(_ value: Double) -> String {
            let rounded = (value * 100).rounded() / 100
            return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.2f", rounded)
        }
    }

    public enum Orientation: String, Sendable { case horizontal, vertical }

    public let id: String
    public let title: String
    public let description: String
    public let orientation: Orientation
    public let width: Double
    public let height: Double
    public let bars: [Bar]
    /// The drawing's largest bar length (horizontal) or height (vertical), for the value that fills it.
    public let scale: Double

    /// `values` are (label, value, the value as the page writes it).
    public init(id: String, title: String, description: String, orientation: Orientation, values: [(label: String, value: Double, shown: String)]) {
        self.id = id
        self.title = title
        self.description = description
        self.orientation = orientation
        let largest = values.map(\.value).max() ?? 0
        switch orientation {
        case .horizontal:
            let labelWidth = 260.0, barSpace = 360.0, row = 24.0
            width = 720
            height = max(row, Double(values.count) * row + 8)
            scale = barSpace
            bars = values.enumerated().map { index, item in
                let length = largest > 0 ? item.value / largest * barSpace : 0
                let y = 4 + Double(index) * row
                return Bar(label: item.label, value: item.value, shown: item.shown, x: labelWidth, y: y, width: length, height: row - 6,
                           labelX: labelWidth - 8, labelY: y + row / 2, valueX: labelWidth + length + 6, valueY: y + row / 2, labelled: true)
            }
        case .vertical:
            let top = 24.0, plot = 180.0, left = 8.0
            width = 720
            height = top + plot + 28
            scale = plot
            let step = (width - 2 * left) / Double(max(values.count, 1))
            // At most about fifteen labels under the bars: every n-th.
            let every = max(1, Int((Double(values.count) / 15).rounded(.up)))
            bars = values.enumerated().map { index, item in
                let tall = largest > 0 ? item.value / largest * plot : 0
                let x = left + Double(index) * step
                return Bar(label: item.label, value: item.value, shown: item.shown, x: x + step * 0.1, y: top + plot - tall, width: max(1, step * 0.8), height: tall,
                           labelX: x + step / 2, labelY: top + plot + 16, valueX: x + step / 2, valueY: top + plot - tall - 4, labelled: index % every == 0)
            }
        }
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .string(id)
        case "title": .string(title)
        case "description": .string(description)
        case "orientation": .string(orientation.rawValue)
        case "horizontal": .bool(orientation == .horizontal)
        case "width": .string(Bar.number(width))
        case "height": .string(Bar.number(height))
        case "scale": .string(Bar.number(scale))
        case "bars": .list(bars.map { .object($0) })
        default: nil
        }
    }
}
