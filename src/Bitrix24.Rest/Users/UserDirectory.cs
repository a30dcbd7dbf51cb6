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
        public async Task<IList<JObject>> ListAsync(JObject filter, bool includeInactive, CancellationToken cancellation, Action<string> log = null)
        {
            var parameters = Parameters(filter, includeInactive, 0);
            var first = await _client.CallAsync("user.get", parameters, cancellation, log).ConfigureAwait(false);
            var users = (first.Result as JArray ?? new JArray()).OfType<JObject>().ToList();
            var total = first.Total ?? users.Count;
            var starts = new List<int>();
            for (var start = PageSize; start < total && users.Count == PageSize; start += PageSize) starts.Add(start);
            foreach (var page in await _client.CallEachAsync("user.get", starts.Select(start => Parameters(filter, includeInactive, start)), cancellation, log).ConfigureAwait(false))
                users.AddRange((page as JArray ?? new JArray()).OfType<JObject>());
            return users;
        }

        private static JObject Parameters(JObject filter, bool includeInactive, int start)
        {
            var conditions = filter == null ? new JObject() : (JObject)filter.DeepClone();
            // "ACTIVE — when set to true, excludes terminated users" (user/user-get.md).
            if (!includeInactive && conditions["ACTIVE"] == null) conditions["ACTIVE"] = true;
            var parameters = new JObject { ["FILTER"] = conditions };
            if (start > 0) parameters["start"] = start;
            return parameters;
        }

        /// <summary>A user as one line of text: first and last name.</summary>
        public static string DisplayName(JObject user) =>
            string.Join(" ", new[] { (string)user["NAME"], (string)user["LAST_NAME"] }.Where(n => !string.IsNullOrEmpty(n)));
    }
}
