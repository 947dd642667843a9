import Foundation
@testable import Templating

/// Renders one template (plus optional others) with a dictionary context.
func render(_ source: String, _ context: [String: TemplateValue] = [:], others: [String: String] = [:], strict: Bool = true) throws -> String {
    var templates = others
    templates["main"] = source
    let library = try TemplateLibrary(templates: templates, options: TemplateOptions(strict: strict))
    return try library.renderString("main", TemplateDictionary(context))
}

/// The template error that compiling or rendering `source` produces.
func templateError(_ source: String, _ context: [String: TemplateValue] = [:], others: [String: String] = [:]) -> TemplateError? {
    do {
        _ = try render(source, context, others: others)
        return nil
    } catch let error as TemplateError {
        return error
    } catch {
        return nil
    }
}

/// 2026-11-27 09:40 in Moscow (UTC+3).
let fridayMorning = Date(timeIntervalSince1970: 1_795_761_600)
