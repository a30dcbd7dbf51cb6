using System;

namespace Bitrix24.Rest.Transport
{
    /// <summary>What a failure means to the caller, whatever code or text the portal used for it.</summary>
    public enum Bitrix24ErrorKind
    {
        Unknown,
        InvalidArgument,
        NotFound,
        AccessDenied,
        Authentication,
        RateLimited,
        ServerError,
        Connection,
        InvalidResponse,
    }

    /// <summary>
    /// A Bitrix24 error answer or a failure to get one. Carries the method, the portal's code (possibly
    /// empty: method errors come as HTTP 400 with <c>"error":""</c>), its description and the HTTP status.
    /// Messages are built from redacted text only.
    /// </summary>
    public class Bitrix24Exception : Exception
    {
        public Bitrix24Exception(string method, string errorCode, string description, int httpStatus, Exception inner = null)
            : base(ComposeMessage(method, errorCode, description, httpStatus), inner)
        {
            Method = method;
            ErrorCode = errorCode ?? "";
            Description = description ?? "";
            HttpStatus = httpStatus;
            Kind = Classify(ErrorCode, Description, httpStatus);
        }

        public string Method { get; }
        /// <summary>The portal's error code; empty for method errors such as "Not found".</summary>
        public string ErrorCode { get; }
        /// <summary>The portal's own text (error_description), or ours when there was no answer.</summary>
        public string Description { get; }
        /// <summary>HTTP status, or 0 when no answer arrived.</summary>
        public int HttpStatus { get; }
        public Bitrix24ErrorKind Kind { get; }

        /// <summary>A stable identifier: the portal's code, or a readable name when the code is empty.</summary>
        public string ErrorId
        {
            get
            {
                if (!string.IsNullOrEmpty(ErrorCode)) return ErrorCode;
                switch (Kind)
                {
                    case Bitrix24ErrorKind.InvalidArgument: return "InvalidId";
                    case Bitrix24ErrorKind.NotFound: return "NotFound";
                    case Bitrix24ErrorKind.AccessDenied: return "AccessDenied";
                    default: return "MethodError";
                }
            }
        }

        /// <summary>True when the same call may succeed later (server faults, rate limits, lost connections).</summary>
        public bool IsTransient =>
            Kind == Bitrix24ErrorKind.ServerError || Kind == Bitrix24ErrorKind.Connection ||
            (Kind == Bitrix24ErrorKind.RateLimited && ErrorCode != "OVERLOAD_LIMIT");

        private static string ComposeMessage(string method, string code, string description, int status)
        {
            var what = string.IsNullOrEmpty(description) ? "the portal gave no description" : description.TrimEnd();
            var codePart = string.IsNullOrEmpty(code) ? "" : code + ": ";
            var statusPart = status > 0 ? $" (HTTP {status})" : "";
            return $"{method} failed{statusPart}: {codePart}{what}";
        }

        internal static Bitrix24ErrorKind Classify(string code, string description, int status)
        {
            switch ((code ?? "").ToUpperInvariant())
            {
                case "QUERY_LIMIT_EXCEEDED":
                case "OPERATION_TIME_LIMIT":
                case "OVERLOAD_LIMIT":
                    return Bitrix24ErrorKind.RateLimited;
                case "NO_AUTH_FOUND":
                case "EXPIRED_TOKEN":
                case "INVALID_TOKEN":
                case "INVALID_GRANT":
                case "INVALID_CLIENT":
                case "WRONG_AUTH_TYPE":
                    return Bitrix24ErrorKind.Authentication;
                case "INVALID_CREDENTIALS":
                case "INSUFFICIENT_SCOPE":
                case "ACCESS_DENIED":
                case "USER_ACCESS_ERROR":
                case "PORTAL_DELETED":
                    return Bitrix24ErrorKind.AccessDenied;
                case "INTERNAL_SERVER_ERROR":
                case "ERROR_UNEXPECTED_ANSWER":
                    return Bitrix24ErrorKind.ServerError;
                case "INVALID_REQUEST":
                case "ERROR_BATCH_METHOD_NOT_ALLOWED":
                case "ERROR_BATCH_LENGTH_EXCEEDED":
                case "ERROR_ARGUMENT":
                case "INVALID_ARG_VALUE":
                case "WRONG_DATETIME_FORMAT":   // crm-activity-todo-add.md
                    return Bitrix24ErrorKind.InvalidArgument;
                case "ERROR_METHOD_NOT_FOUND":
                case "ERROR_NOT_FOUND":
                case "NOT_FOUND":
                case "OWNER_NOT_FOUND":         // the timeline pages: the record a comment or activity is on
                    return Bitrix24ErrorKind.NotFound;
                case "NETWORK_ERROR":
                case "TIMEOUT":
                    return Bitrix24ErrorKind.Connection;
                case "INVALID_RESPONSE":
                    return Bitrix24ErrorKind.InvalidResponse;
            }

            // Method errors have no code: the text is all there is (the docs show "Not found", the
            // server answers "Lead is not found" for update; both mean the same).
            var text = description ?? "";
            if (text.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0) return Bitrix24ErrorKind.NotFound;
            if (text.IndexOf("access denied", StringComparison.OrdinalIgnoreCase) >= 0) return Bitrix24ErrorKind.AccessDenied;
            if (text.IndexOf("not defined or invalid", StringComparison.OrdinalIgnoreCase) >= 0) return Bitrix24ErrorKind.InvalidArgument;
            if (status == 401) return Bitrix24ErrorKind.Authentication;
            if (status == 403) return Bitrix24ErrorKind.AccessDenied;
            if (status == 404) return Bitrix24ErrorKind.NotFound;
            if (status == 429 || status == 503) return Bitrix24ErrorKind.RateLimited;
            if (status >= 500) return Bitrix24ErrorKind.ServerError;
            if (status == 400) return Bitrix24ErrorKind.InvalidArgument;
            return Bitrix24ErrorKind.Unknown;
        }
    }
}
