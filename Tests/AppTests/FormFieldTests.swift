import Foundation
import Templating
import Testing
import Web

/// The one partial that draws a labelled input (`partials/shared/field`), rendered from the real file.
@Suite("Form fields")
struct FormFieldTests {
    private func render(_ field: FormField) throws -> String {
        let partial = try String(contentsOf: repositoryRoot.appendingPathComponent("Templates/partials/shared/field.html"), encoding: .utf8)
        let library = try TemplateLibrary(templates: ["partials/shared/field": partial, "form": "{% include \"partials/shared/field\" with field: f %}"],
                                          options: TemplateOptions(strict: true))
        return String(decoding: try library.render("form", TemplateDictionary(["f": .object(field)])), as: UTF8.self)
    }

    @Test func aFieldWithAHintAndAnErrorIsDescribedByBothInOrder() throws {
        let html = try render(FormField("policy", label: "Номер полиса ОМС", hint: "16 цифр", value: "12", error: "Номер короче 16 цифр.", input: .digits))
        #expect(html.contains("<div class=\"field field--error\">"))
        #expect(html.contains("<label for=\"policy\">Номер полиса ОМС</label>"))
        #expect(html.contains("<p class=\"hint\" id=\"policy-hint\">16 цифр</p>"))
        #expect(html.contains("<p class=\"field__error\" id=\"policy-error\">Номер короче 16 цифр.</p>"))
        #expect(html.contains("<input id=\"policy\" name=\"policy\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" value=\"12\" aria-describedby=\"policy-hint policy-error\">"))
    }

    @Test func aPlainFieldHasNoDescriptionAndNoErrorStyle() throws {
        let html = try render(FormField("lastName", label: "Фамилия"))
        #expect(html.contains("<div class=\"field\">"))
        #expect(!html.contains("aria-describedby"))
        #expect(!html.contains("field__error"))
        #expect(!html.contains("class=\"hint\""))
    }

    @Test func whatWasTypedComesBackEscaped() throws {
        let html = try render(FormField("name", label: "Где стоит", value: "\"><script>alert(1)</script>"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("value=\"&quot;&gt;&lt;script&gt;"))
    }

    @Test func aPasswordIsNeverShownAgain() throws {
        let html = try render(FormField("password", label: "Пароль", value: "секрет123", error: "Пароль введён неверно.", input: .password))
        #expect(html.contains("type=\"password\" autocomplete=\"current-password\" value=\"\""))
        #expect(!html.contains("секрет123"))
    }

    @Test func aKioskFieldCarriesItsKeypadAndLargerStyle() throws {
        let input = FormField.Input.digits.with { $0.maxLength = 10; $0.keypad = [.number, .date]; $0.autofocus = true; $0.kiosk = true }
        let html = try render(FormField("birthDate", label: "Дата рождения", hint: "Например, 05.03.1984", input: input))
        #expect(html.contains("<div class=\"kiosk-field\">"))
        #expect(html.contains("<p class=\"kiosk-hint\" id=\"birthDate-hint\">"))
        #expect(html.contains("maxlength=\"10\" value=\"\" data-number data-date autofocus aria-describedby=\"birthDate-hint\">"))
        #expect(!html.contains("data-dash"))
    }

    @Test func anErrorFromAFormsListLandsOnItsOwnFieldOnly() {
        let errors = [FormError(field: "from", message: "Укажите первый день.")]
        #expect(FormField("from", label: "С какого дня", errors: errors, input: .date).error == "Укажите первый день.")
        #expect(FormField("to", label: "По какой день", errors: errors, input: .date).error == nil)
    }
}
