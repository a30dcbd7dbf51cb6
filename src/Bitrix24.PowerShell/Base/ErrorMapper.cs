using System;
using System.Management.Automation;
using Bitrix24.Rest.Connections;
using Bitrix24.Rest.Crm;
using Bitrix24.Rest.Transport;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// The one place where failures become ErrorRecords: a stable id (Bitrix24.&lt;CODE&gt;), a category
    /// by meaning, the record as target and the portal's own words in ErrorDetails.
    /// </summary>
    internal static class ErrorMapper
    {
        public static ErrorRecord ToErrorRecord(Exception exception, object target)
        {
            switch (exception)
            {
                case Bitrix24Exception b24:
                    return WithDetails(new ErrorRecord(b24, "Bitrix24." + b24.ErrorId, CategoryOf(b24.Kind), target),
                                       b24.Description, RecommendedAction(b24));
                case CrmFieldException field:
                    return WithDetails(new ErrorRecord(field, "Bitrix24.InvalidField", ErrorCategory.InvalidArgument,
                                                       (object)field.RecordId ?? target), field.Message, null);
                case Bitrix24ConfigurationException config:
                    return new ErrorRecord(config, "Bitrix24.InvalidConnection", ErrorCategory.InvalidArgument, target);
                case ObjectDisposedException closed:
                    return WithDetails(new ErrorRecord(closed, "Bitrix24.ConnectionClosed", ErrorCategory.ConnectionError, target),
                                       closed.Message, "Run Connect-Bitrix24 again, or pass an open -Connection.");
                case Bitrix24.Rest.Users.UserLookupException user:
                    return WithDetails(new ErrorRecord(user, "Bitrix24.UserNotFound", ErrorCategory.ObjectNotFound, user.Email), user.Message,
                                       "Get-B24User -Name <part of a name> finds the user; give the id instead of the e-mail.");
                case ArgumentException argument:
                    return new ErrorRecord(argument, "Bitrix24.InvalidArgument", ErrorCategory.InvalidArgument, target);
                default:
                    return new ErrorRecord(exception, "Bitrix24.UnexpectedError", ErrorCategory.NotSpecified, target);
            }
        }

        public static ErrorRecord NotConnected() =>
            new ErrorRecord(new InvalidOperationException(
                    "Not connected to a Bitrix24 portal. Run Connect-Bitrix24 first (or pass -Connection)."),
                "Bitrix24.NotConnected", ErrorCategory.ConnectionError, null);

        internal static ErrorCategory CategoryOf(Bitrix24ErrorKind kind)
        {
            switch (kind)
            {
                case Bitrix24ErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case Bitrix24ErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case Bitrix24ErrorKind.AccessDenied: return ErrorCategory.PermissionDenied;
                case Bitrix24ErrorKind.Authentication: return ErrorCategory.AuthenticationError;
                case Bitrix24ErrorKind.RateLimited: return ErrorCategory.LimitsExceeded;
                case Bitrix24ErrorKind.ServerError:
                case Bitrix24ErrorKind.Connection: return ErrorCategory.ConnectionError;
                case Bitrix24ErrorKind.InvalidResponse: return ErrorCategory.InvalidResult;
                default: return ErrorCategory.NotSpecified;
            }
        }

        private static string RecommendedAction(Bitrix24Exception error)
        {
            switch (error.Kind)
            {
                case Bitrix24ErrorKind.Authentication: return "Check the webhook URL or token, then run Connect-Bitrix24 again.";
                case Bitrix24ErrorKind.AccessDenied: return "The webhook's user or scope lacks this right: grant CRM access to the webhook or user.";
                case Bitrix24ErrorKind.RateLimited: return "The portal limits requests; wait and retry, or lower the request rate.";
                case Bitrix24ErrorKind.NotFound: return NotFoundAction(error.Method);
                default: return null;
            }
        }

        /// <summary>Where to look for what was not found: the entity's list cmdlet, from the method (crm.deal.update: Get-B24Deal).</summary>
        private static string NotFoundAction(string method)
        {
            var parts = (method ?? "").Split('.');
            if (parts.Length >= 3 && parts[0] == "crm" && parts[1] == "item")
                return parts[2] == "fields" ? "Check the entityTypeId (Get-B24ItemType lists the portal's CRM types)."
                                            : "Check the id (Get-B24Item -EntityTypeId <n> lists a type's items; Get-B24ItemType lists the types).";
            if (parts.Length >= 3 && parts[0] == "crm" && parts[1] == "timeline")
                return "Check the record and the comment id (Get-B24TimelineComment lists a record's comments).";
            if (parts.Length >= 2 && parts[0] == "crm" && parts[1] == "activity")
                return "Check the record and the activity id (Get-B24Activity lists a record's activities).";
            if (parts.Length >= 2 && parts[0] == "crm" && parts[1] == "category")
                return "Check the entityTypeId (Get-B24ItemType lists the portal's CRM types).";
            var entity = parts.Length >= 3 && parts[0] == "crm" ? CrmEntity.Named(parts[1]) : null;
            return entity == null ? "Check the id." : $"Check the id (Get-B24{entity.Name} lists existing {entity.Plural}).";
        }

        private static ErrorRecord WithDetails(ErrorRecord record, string message, string recommendedAction)
        {
            if (!string.IsNullOrEmpty(message))
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
            return record;
        }
    }
}
