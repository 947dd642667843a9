import Foundation
import Templating
import Web

/// One figure of the statistics page: its chart, the same numbers as a table (with the period
/// before and the change), and the table as CSV.
struct StatisticsSection: TemplateObject {
    /// One line of a section's table.
    struct Row: TemplateObject {
        let label: String
        let value: String
        let previous: String
        let change: String
        let cells: [CSVTable.Cell]

        func templateValue(forKey key: String) -> TemplateValue? {
            switch key {
            case "label": .string(label)
            case "value": .string(value)
            case "previous": .string(previous)
            case "change": .string(change)
            default: nil
            }
        }
    }

    /// One figure to show: its label, its value now and in the period before (a share when `percent`).
    struct Item {
        let label: String
        let value: Double
        let previous: Double?
    }

    let id: String
    let title: String
    let note: String
    let chart: BarChart?
    let rows: [Row]
    let valueHeader: String
    let csvURL: String
    let csvHeader: [String]

    init(id: String, title: String, note: String, items: [Item], percent: Bool = false, orientation: BarChart.Orientation = .horizontal,
         valueHeader: String = "Записей", csvURL: String) {
        self.id = id
        self.title = title
        self.note = note
        self.valueHeader = valueHeader
        self.csvURL = csvURL
        func shown(_ value: Double) -> String { percent ? Self.percent(value) : Self.count(Int(value)) }
        chart = items.isEmpty ? nil : BarChart(id: "chart-" + id, title: title, description: note + ". Те же числа — в таблице ниже.", orientation: orientation,
                                               values: items.map { ($0.label, percent ? ($0.value * 1_000).rounded() / 10 : $0.value, shown($0.value)) })
        rows = items.map { item in
            let change: String
            if let previous = item.previous {
                let delta = item.value - previous
                change = percent ? Self.signed(delta * 100, decimals: 1) + " п. п." : Self.signed(delta, decimals: 0)
            } else {
                change = ""
            }
            let cells: [CSVTable.Cell] = percent
                ? [.text(item.label), .decimal(item.value * 100, places: 1), item.previous.map { .decimal($0 * 100, places: 1) } ?? .text("")]
                : [.text(item.label), .integer(Int(item.value)), item.previous.map { .integer(Int($0)) } ?? .text("")]
            return Row(label: item.label, value: shown(item.value), previous: item.previous.map(shown) ?? "—", change: change, cells: cells)
        }
        csvHeader = ["", percent ? "\(valueHeader), %" : valueHeader, percent ? "прежний период, %" : "прежний период"]
    }

    /// The table as a spreadsheet.
    var csv: CSVTable { CSVTable(header: csvHeader, rows: rows.map(\.cells)) }

    /// 43 000: thousands apart by a narrow no-break space.
    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "\u{202F}" }
            grouped.append(digit)
        }
        return (value < 0 ? "−" : "") + grouped
    }

    /// 0.123 → «12,3 %».
    static func percent(_ share: Double) -> String {
        String(format: "%.1f", share * 100).replacingOccurrences(of: ".", with: ",") + "\u{00A0}%"
    }

    static func signed(_ value: Double, decimals: Int) -> String {
        let text = decimals == 0 ? count(Int(abs(value).rounded())) : String(format: "%.\(decimals)f", abs(value)).replacingOccurrences(of: ".", with: ",")
        return value > 0 ? "+" + text : value < 0 ? "−" + text : text
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .string(id)
        case "title": .string(title)
        case "note": .string(note)
        case "chart": chart.map { .object($0) } ?? .null
        case "rows": .list(rows.map { .object($0) })
        case "valueHeader": .string(valueHeader)
        case "csvURL": .string(csvURL)
        default: nil
        }
    }
}
