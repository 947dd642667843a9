import Templating

/// One labelled input of a form, with its hint and its error, as `partials/shared/field` draws it.
public struct FormField: TemplateObject, Sendable {
    /// How the input behaves in the browser: its type and the helpers it asks for.
    public struct Input: Sendable {
        public var type = "text"
        public var inputMode: String?
        public var autocomplete: String? = "off"
        public var autocapitalize: String?
        public var spellcheck = true
        public var maxLength: Int?
        public var required = false
        public var autofocus = false
        public var accessKey: String?
        /// What the kiosk's on-screen keypad does with the input (drawn as `data-` attributes its script reads).
        public var keypad: Keypad = []
        /// Drawn in the kiosk's larger style.
        public var kiosk = false

        /// Free text, nothing remembered by the browser.
        public static let text = Input()
        /// Digits and separators: dates, numbers typed on a number pad.
        public static let digits = Input(inputMode: "numeric")
        /// A number or a name typed exactly: no spelling check, no capitals added.
        public static let exact = Input(autocapitalize: "none", spellcheck: false)
        /// A mobile phone number.
        public static let phone = Input(type: "tel")
        /// A password being typed, never shown again.
        public static let password = Input(type: "password", autocomplete: "current-password")
        /// A new password.
        public static let newPassword = Input(type: "password", autocomplete: "new-password")
        /// A calendar day picked with the browser's date picker.
        public static let date = Input(type: "date", autocomplete: nil)

        /// The same input with changes: `.digits.with { $0.maxLength = 10 }`.
        public func with(_ change: (inout Input) -> Void) -> Input {
            var input = self
            change(&input)
            return input
        }
    }

    /// The kiosk keypad's behaviours for an input.
    public struct Keypad: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Digits typed on the keypad.
        public static let number = Keypad(rawValue: 1)
        /// A dash key beside the digits (referral numbers).
        public static let dash = Keypad(rawValue: 2)
        /// Dots put in as a date is typed.
        public static let date = Keypad(rawValue: 4)
        /// A barcode scanner may fill the input.
        public static let scanner = Keypad(rawValue: 8)
    }

    public let name: String
    public let label: String
    /// Shown after the label in a quieter style, e.g. «(необязательно)».
    public let labelNote: String?
    public let hint: String?
    public let value: String
    public let error: String?
    /// A machine-readable code of the error (a refusal code), for tests and scripts.
    public let errorCode: String?
    public let input: Input
    /// The ids that describe the input: the hint's, then the error's.
    public let describedBy: String?
    /// The input's flags as the partial asks them.
    private let flags: [String: TemplateValue]

    public init(_ name: String, label: String, labelNote: String? = nil, hint: String? = nil, value: String = "", error: String? = nil,
                errorCode: String? = nil, input: Input = .text) {
        self.name = name
        self.label = label
        self.labelNote = labelNote
        self.hint = hint
        self.value = input.type == "password" ? "" : value
        self.error = error
        self.errorCode = errorCode
        self.input = input
        let ids = [hint.map { _ in "\(name)-hint" }, error.map { _ in "\(name)-error" }].compactMap { $0 }
        describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
        flags = [
            "noSpellcheck": .bool(!input.spellcheck), "required": .bool(input.required), "autofocus": .bool(input.autofocus), "kiosk": .bool(input.kiosk),
            "keypadNumber": .bool(input.keypad.contains(.number)), "keypadDash": .bool(input.keypad.contains(.dash)),
            "keypadDate": .bool(input.keypad.contains(.date)), "keypadScanner": .bool(input.keypad.contains(.scanner)),
        ]
    }

    /// The field's error as the form's error summary lists it.
    public var formError: FormError? {
        error.map { FormError(field: name, message: $0) }
    }

    /// A field whose error, if any, is among a form's errors.
    public init(_ name: String, label: String, labelNote: String? = nil, hint: String? = nil, value: String = "", errors: [FormError], input: Input = .text) {
        self.init(name, label: label, labelNote: labelNote, hint: hint, value: value, error: errors.first { $0.field == name }?.message, input: input)
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "label": .string(label)
        case "labelNote": .optional(labelNote)
        case "hint": .optional(hint)
        case "value": .string(value)
        case "error": .optional(error)
        case "errorCode": .optional(errorCode)
        case "describedBy": .optional(describedBy)
        case "type": .string(input.type)
        case "inputMode": .optional(input.inputMode)
        case "autocomplete": .optional(input.autocomplete)
        case "autocapitalize": .optional(input.autocapitalize)
        case "maxLength": .optional(input.maxLength)
        case "accessKey": .optional(input.accessKey)
        default: flags[key]
        }
    }
}
