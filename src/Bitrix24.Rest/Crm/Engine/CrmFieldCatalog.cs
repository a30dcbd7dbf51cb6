using System;
using System.Collections.Generic;
using System.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>The value types of CRM fields, as crm.&lt;entity&gt;.fields names them.</summary>
    public enum CrmFieldType
    {
        String,
        Integer,
        /// <summary>Money and other decimals (OPPORTUNITY); the API calls it double.</summary>
        Double,
        /// <summary>Y/N (OPENED, IS_MANUAL_OPPORTUNITY).</summary>
        Char,
        Date,
        DateTime,
        /// <summary>An id from a crm.status.list directory (STATUS_ID, SOURCE_ID, HONORIFIC).</summary>
        Status,
        Currency,
        User,
        Company,
        Contact,
        /// <summary>A list of ids (CONTACT_IDS, COMPANY_IDS).</summary>
        IdList,
        /// <summary>PHONE, EMAIL, WEB, IM, LINK: lists of {ID, VALUE, VALUE_TYPE}.</summary>
        MultiField,
        /// <summary>A file (contact PHOTO, company LOGO): a path or FileInfo in, a <see cref="CrmFile"/> out.</summary>
        File,
        /// <summary>Not described here (custom UF_ fields): passed on as given.</summary>
        Other,
    }

    public sealed class CrmFieldDefinition
    {
        internal CrmFieldDefinition(string apiName, string parameterName, CrmFieldType type, bool readOnly = false, string readOnlyReason = null)
        {
            ApiName = apiName;
            ParameterName = parameterName;
            Type = type;
            IsReadOnly = readOnly || readOnlyReason != null;
            ReadOnlyReason = readOnlyReason;
        }

        /// <summary>Why a new value would be ignored, when it is more than "the portal maintains it".</summary>
        public string ReadOnlyReason { get; }

        /// <summary>The name the REST API, filters and CSV files use (TITLE, ASSIGNED_BY_ID).</summary>
        public string ApiName { get; }
        /// <summary>The cmdlet parameter name (Title, AssignedById).</summary>
        public string ParameterName { get; }
        public CrmFieldType Type { get; }
        /// <summary>Read-only or system-managed: the update method ignores it silently.</summary>
        public bool IsReadOnly { get; }
        public override string ToString() => ApiName;
    }

    /// <summary>Edit distance and name helpers shared by every entity's field lookups.</summary>
    public static class CrmFieldCatalog
    {
        /// <summary>Fields the portal adds per portal: custom UF_ fields and PARENT_ID_&lt;entityTypeId&gt; relations.</summary>
        public static bool IsCustomFieldName(string name) =>
            name != null && (name.StartsWith("UF_", StringComparison.OrdinalIgnoreCase) || IsRelationFieldName(name));

        /// <summary>PARENT_ID_1032: the id of the linked item of smart process 1032.</summary>
        public static bool IsRelationFieldName(string name) =>
            name != null && name.Length > 10 && name.StartsWith("PARENT_ID_", StringComparison.OrdinalIgnoreCase) && name.Skip(10).All(char.IsDigit);

        /// <summary>Up to <paramref name="count"/> names of <paramref name="candidates"/> closest to <paramref name="name"/>, best first.</summary>
        public static IList<string> ClosestNames(string name, IEnumerable<string> candidates, int count = 2)
        {
            var wanted = (name ?? "").ToUpperInvariant().Replace("-", "_");
            return candidates
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(c => new { Name = c, Distance = Math.Min(EditDistance(wanted, c.ToUpperInvariant()),
                                                                 EditDistance(wanted, c.Replace("_", "").ToUpperInvariant())) })
                .Where(c => c.Distance <= Math.Max(2, wanted.Length / 3))
                .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
                .Take(count)
                .Select(c => c.Name)
                .ToList();
        }

        internal static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++) previous[j] = j;
            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                var swap = previous; previous = current; current = swap;
            }
            return previous[b.Length];
        }
    }
}
