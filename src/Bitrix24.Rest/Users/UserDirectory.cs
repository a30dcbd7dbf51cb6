using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Users
{
    /// <summary>
    /// The portal's users from user.get (user/user-get.md): FILTER on any user field, ACTIVE = true leaving out
    /// dismissed users, 50 per page with start, and total in the answer. Every page is read: the first plainly,
    /// the rest 50 pages to a batch request.
    /// </summary>
    public sealed class UserDirectory
    {
        public const int PageSize = 50;
        private readonly Bitrix24Client _client;

        public UserDirectory(Bitrix24Client client) => _client = client;

        /// <summary>Every user matching <paramref name="filter"/> (FILTER keys as user.get takes them); only active
        /// users unless <paramref name="includeInactive"/>.</summary>
        public Task<IList<JObject>> ListAsync(JObject filter, bool includeInactive, CancellationToken cancellation, Action<string> log = null) =>
            _client.ListAllAsync("user.get", Parameters(filter, includeInactive), cancellation, log);

        /// <summary>
        /// The active users with these e-mail addresses (without regard to case), all in one user.get: each address to
        /// the one user id holding it. An address no active user holds, or more than one does, is an error naming it.
        /// </summary>
        public async Task<IDictionary<string, int>> ResolveEmailsAsync(IEnumerable<string> emails, CancellationToken cancellation, Action<string> log = null)
        {
            var wanted = emails.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var found = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            if (wanted.Count == 0) return found;
            var users = await ListAsync(new JObject { ["@EMAIL"] = new JArray(wanted) }, false, cancellation, log).ConfigureAwait(false);
            foreach (var email in wanted)
            {
                var holders = users.Where(u => string.Equals(((string)u["EMAIL"])?.Trim(), email, StringComparison.OrdinalIgnoreCase)).ToList();
                if (holders.Count == 0)
                    throw new UserLookupException(email, $"No active user of this portal has the e-mail address '{email}' (Get-B24User -Email '{email}' -IncludeInactive shows a dismissed one).");
                if (holders.Count > 1)
                    throw new UserLookupException(email, $"{holders.Count} active users have the e-mail address '{email}' (ids {string.Join(", ", holders.Select(u => (string)u["ID"]))}): give the user id instead.");
                found[email] = int.Parse((string)holders[0]["ID"], System.Globalization.CultureInfo.InvariantCulture);
            }
            return found;
        }

        private static JObject Parameters(JObject filter, bool includeInactive)
        {
            var conditions = filter == null ? new JObject() : (JObject)filter.DeepClone();
            // "ACTIVE — when set to true, excludes terminated users" (user/user-get.md).
            if (!includeInactive && conditions["ACTIVE"] == null) conditions["ACTIVE"] = true;
            return new JObject { ["FILTER"] = conditions };
        }

        /// <summary>A user as one line of text: first and last name.</summary>
        public static string DisplayName(JObject user) =>
            string.Join(" ", new[] { (string)user["NAME"], (string)user["LAST_NAME"] }.Where(n => !string.IsNullOrEmpty(n)));
    }

    /// <summary>A user named by e-mail that is not one active user of the portal.</summary>
    public sealed class UserLookupException : Exception
    {
        public UserLookupException(string email, string message) : base(message) => Email = email;

        public string Email { get; }
    }
}
