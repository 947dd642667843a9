import Hummingbird
import Templating

/// The model of the error page: what happened, in plain Russian, and what to do about it.
public struct ErrorPage: TemplateObject {
    public let status: HTTPResponse.Status
    /// The request's id, for the caller to quote to support.
    public let reference: String
    /// The error's own text, shown only in development.
    public let details: String?
    /// Where "try again" leads: the same address, for a GET that failed for a passing reason.
    public let retryURL: String?
    public let title: String
    public let explanation: String
    /// Server faults show the request's id to quote.
    public let showsReference: Bool

    public init(status: HTTPResponse.Status, reference: String, details: String?, retryURL: String? = nil) {
        self.status = status
        self.reference = reference
        self.details = details
        self.retryURL = retryURL
        title = Self.title(status)
        explanation = Self.explanation(status)
        showsReference = status.code >= 500
    }

    private static func title(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "Запрос не получилось разобрать"
        case 403: "Запрос не принят"
        case 404: "Такой страницы нет"
        case 405: "Эта страница так не открывается"
        case 408: "Запрос шёл слишком долго"
        case 413: "Слишком большой запрос"
        case 429: "Слишком много запросов подряд"
        case 503: "Сервис временно недоступен"
        default: "Что-то пошло не так"
        }
    }

    private static func explanation(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400, 405: "Похоже, в адресе или в отправленной форме ошибка. Вернитесь назад и попробуйте ещё раз."
        case 403: "Форма устарела или была отправлена с другого сайта. Вернитесь, обновите страницу и отправьте её снова."
        case 404: "Возможно, ссылка устарела или в адресе опечатка. Начните с главной страницы — оттуда можно записаться к врачу."
        case 408, 503: "Подождите минуту и повторите. Если нужно записаться срочно, позвоните в регистратуру поликлиники."
        case 413: "Отправленные данные больше, чем сервис может принять. Сократите их и отправьте снова."
        case 429: "Подождите минуту и попробуйте снова."
        default: "Ошибка на нашей стороне, ваши данные не потеряны. Повторите через несколько минут; если не получится, сообщите в поддержку код обращения."
        }
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "status": .int(status.code)
        case "title": .string(title)
        case "explanation": .string(explanation)
        case "reference": .string(reference)
        case "details": .optional(details)
        case "showsReference": .bool(showsReference)
        case "retryURL": .optional(retryURL)
        default: nil
        }
    }
}
