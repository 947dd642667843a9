import Foundation
import Templating

// Renders one realistic page — a doctor's two-week slot grid — with our engine, three other Swift
// engines and a hand-written baseline; checks they agree, then times them in interleaved rounds.

let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Templates").path
let page = SlotGridPage.sample()
let context = BenchmarkContext(page: page)

let ours = try TemplateLibrary(directory: templates + "/ours")
let mustache = try await MustacheContender(directory: templates + "/mustache")
let leaf = try LeafContender(directory: templates + "/leaf", page: page)
let stencil = try StencilContender(directory: templates + "/stencil", page: page)

// MARK: Agreement

let reference = try ours.render("page", context)
let handWritten = Array(HandWritten.render(page).utf8)
guard handWritten == reference else {
    let index = (0..<min(handWritten.count, reference.count)).first { handWritten[$0] != reference[$0] } ?? min(handWritten.count, reference.count)
    print("hand-written and our engine differ at byte \(index):")
    print("  ours:         …\(String(decoding: reference[max(0, index - 60)..<min(reference.count, index + 60)], as: UTF8.self))")
    print("  hand-written: …\(String(decoding: handWritten[max(0, index - 60)..<min(handWritten.count, index + 60)], as: UTF8.self))")
    exit(1)
}
guard try ours.render("page-formatting", context) == reference else {
    print("formatting dates in the template gives a different page")
    exit(1)
}
guard Array(HandWritten.render(page, formatsDates: true).utf8) == reference else {
    print("the hand-written page that formats its dates differs")
    exit(1)
}

/// Whitespace differs between engines' rules for lines holding only tags; the content must not.
func normalized(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
}
let expected = normalized(String(decoding: reference, as: UTF8.self))
for (name, text) in [("swift-mustache", mustache.render(page)), ("LeafKit", String(buffer: try leaf.render())), ("Stencil", try stencil.render())] {
    guard normalized(text) == expected else {
        let a = Array(normalized(text)), b = Array(expected)
        let index = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        print("\(name) renders different content near: …\(String(a[max(0, index - 60)..<min(a.count, index + 60)]))")
        print("ours:                                   …\(String(b[max(0, index - 60)..<min(b.count, index + 60)]))")
        exit(1)
    }
}

// MARK: Timing

// PROFILE=ours|formatting renders only that variant, for a profiler.
if let target = ProcessInfo.processInfo.environment["PROFILE"] {
    let name = target == "formatting" ? "page-formatting" : "page"
    for _ in 0..<(Int(ProcessInfo.processInfo.environment["COUNT"] ?? "") ?? 200) { _ = try ours.render(name, context) }
    exit(0)
}

struct Contender {
    let name: String
    let render: () throws -> Int
}

var sink = 0
let contenders: [Contender] = [
    Contender(name: "hand-written String") { HandWritten.render(page).utf8.count },
    Contender(name: "Registratura engine") { try ours.render("page", context).count },
    Contender(name: "  … formatting dates and plural itself") { try ours.render("page-formatting", context).count },
    Contender(name: "hand-written, formatting dates too") { HandWritten.render(page, formatsDates: true).utf8.count },
    Contender(name: "swift-mustache") { mustache.render(page).utf8.count },
    Contender(name: "LeafKit") { try leaf.render().readableBytes },
    Contender(name: "Stencil") { try stencil.render().utf8.count },
]

let clock = ContinuousClock()
func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

// Calibrate each contender to about 0.2 s per round.
var iterations: [Int] = []
for contender in contenders {
    for _ in 0..<20 { sink &+= try contender.render() }
    let once = microseconds(try clock.measure { for _ in 0..<20 { sink &+= try contender.render() } }) / 20
    iterations.append(max(20, Int(200_000 / max(once, 1))))
}

let rounds = Int(ProcessInfo.processInfo.environment["ROUNDS"] ?? "") ?? 7
var samples = Array(repeating: [Double](), count: contenders.count)
for _ in 0..<rounds {
    for (index, contender) in contenders.enumerated() {
        let count = iterations[index]
        let elapsed = try clock.measure { for _ in 0..<count { sink &+= try contender.render() } }
        samples[index].append(microseconds(elapsed) / Double(count))
    }
}
let medians = samples.map { $0.sorted()[$0.count / 2] }

// MARK: Report

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let space = String(repeating: " ", count: max(0, width - text.count))
    return right ? space + text : text + space
}
func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

print("Page: a doctor's two-week slot grid — layout, header and footer partials, 14 days × 20 slots,")
print("free/busy branches, Cyrillic text, escaping; \(reference.count) bytes. Median of \(rounds) interleaved rounds.")
print("")
print(pad("renderer", 40) + pad("µs/render", 12, right: true) + pad("renders/s", 12, right: true) + pad("× hand-written", 16, right: true))
let baseline = medians[0]
for (index, contender) in contenders.enumerated() {
    print(pad(contender.name, 40) + pad(format(medians[index], 1), 12, right: true)
        + pad(String(Int(1e6 / medians[index])), 12, right: true) + pad(format(medians[index] / baseline, 2), 16, right: true))
}
let fastestOther = medians[4...].min()!
let oursTime = medians[1]
print("")
print("ours vs hand-written: \(format(oursTime / baseline, 2))× (target ≤ 2×) — \(oursTime <= 2 * baseline ? "met" : "NOT met")")
print("ours formatting its dates vs hand-written formatting them: \(format(medians[2] / medians[3], 2))× (target ≤ 2×) — \(medians[2] <= 2 * medians[3] ? "met" : "NOT met")")
print("ours vs fastest other engine: \(format(fastestOther / oursTime, 1))× faster (target ≥ 2×) — \(fastestOther >= 2 * oursTime ? "met" : "NOT met")")
if sink == 42 { print("") }
