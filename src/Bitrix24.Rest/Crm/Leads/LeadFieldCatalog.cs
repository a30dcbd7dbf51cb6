using System;
using System.Collections.Generic;
using System.Linq;

namespace Bitrix24.Rest.Crm.Leads
{
    /// <summary>The value types of lead fields, as crm.lead.fields names them.</summary>
    public enum LeadFieldType
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
        /// <summary>A list of contact ids (CONTACT_IDS).</summary>
        ContactList,
        /// <summary>PHONE, EMAIL, WEB, IM, LINK: lists of {ID, VALUE, VALUE_TYPE}.</summary>
        MultiField,
        /// <summary>Not described here (custom UF_ fields): passed on as given.</summary>
        Other,
    }

    public sealed class LeadFieldDefinition
    {
        internal LeadFieldDefinition(string apiName, string parameterName, LeadFieldType type, bool readOnly = false)
        {
            ApiName = apiName;
            ParameterName = parameterName;
            Type = type;
            IsReadOnly = readOnly;
        }

        /// <summary>The name the REST API, filters and CSV files use (TITLE, ASSIGNED_BY_ID).</summary>
        public string ApiName { get; }
        /// <summary>The cmdlet parameter name (Title, AssignedById).</summary>
        public string ParameterName { get; }
        public LeadFieldType Type { get; }
        /// <summary>Read-only or system-managed: crm.lead.update ignores it silently.</summary>
        public bool IsReadOnly { get; }
        public bool IsAddressPart => ApiName.StartsWith("ADDRESS", StringComparison.Ordinal);
        public override string ToString() => ApiName;
    }

    /// <summary>
    /// Every standard lead field of crm.lead.update / crm.lead.fields, with the PascalCase parameter name
    /// each one has on the cmdlets. Custom fields (UF_*) come from the portal's schema instead.
    /// </summary>
    public static class LeadFieldCatalog
    {
        private static readonly LeadFieldDefinition[] Fields =
        {
            new LeadFieldDefinition("ID", "Id", LeadFieldType.Integer, readOnly: true),
            new LeadFieldDefinition("TITLE", "Title", LeadFieldType.String),
            new LeadFieldDefinition("HONORIFIC", "Honorific", LeadFieldType.Status),
            new LeadFieldDefinition("NAME", "Name", LeadFieldType.String),
            new LeadFieldDefinition("SECOND_NAME", "SecondName", LeadFieldType.String),
            new LeadFieldDefinition("LAST_NAME", "LastName", LeadFieldType.String),
            new LeadFieldDefinition("BIRTHDATE", "Birthdate", LeadFieldType.Date),
            new LeadFieldDefinition("COMPANY_TITLE", "CompanyTitle", LeadFieldType.String),
            new LeadFieldDefinition("SOURCE_ID", "SourceId", LeadFieldType.Status),
            new LeadFieldDefinition("SOURCE_DESCRIPTION", "SourceDescription", LeadFieldType.String),
            new LeadFieldDefinition("STATUS_ID", "StatusId", LeadFieldType.Status),
            new LeadFieldDefinition("STATUS_DESCRIPTION", "StatusDescription", LeadFieldType.String),
            new LeadFieldDefinition("POST", "Post", LeadFieldType.String),
            new LeadFieldDefinition("COMMENTS", "Comments", LeadFieldType.String),
            new LeadFieldDefinition("CURRENCY_ID", "CurrencyId", LeadFieldType.Currency),
            new LeadFieldDefinition("OPPORTUNITY", "Opportunity", LeadFieldType.Double),
            new LeadFieldDefinition("IS_MANUAL_OPPORTUNITY", "IsManualOpportunity", LeadFieldType.Char),
            new LeadFieldDefinition("OPENED", "Opened", LeadFieldType.Char),
            new LeadFieldDefinition("ASSIGNED_BY_ID", "AssignedById", LeadFieldType.User),
            new LeadFieldDefinition("COMPANY_ID", "CompanyId", LeadFieldType.Company),
            new LeadFieldDefinition("CONTACT_ID", "ContactId", LeadFieldType.Contact),
            new LeadFieldDefinition("CONTACT_IDS", "ContactIds", LeadFieldType.ContactList),
            new LeadFieldDefinition("ADDRESS", "Address", LeadFieldType.String),
            new LeadFieldDefinition("ADDRESS_2", "Address2", LeadFieldType.String),
            new LeadFieldDefinition("ADDRESS_CITY", "AddressCity", LeadFieldType.String),
            new LeadFieldDefinition("ADDRESS_POSTAL_CODE", "AddressPostalCode", LeadFieldType.String),
            new LeadFieldDefinition("ADDRESS_REGION", "AddressRegion", LeadFieldType.String),
            new LeadFieldDefinition("ADDRESS_PROVINCE", "AddressProvince", LeadFieldType.String),
            new LeadFieldDefinition("ADDRESS_COUNTRY", "AddressCountry", LeadFieldType.String),
            new LeadFieldDefinition("ADDRESS_COUNTRY_CODE", "AddressCountryCode", LeadFieldType.String),
            new LeadFieldDefinition("PHONE", "Phone", LeadFieldType.MultiField),
            new LeadFieldDefinition("EMAIL", "Email", LeadFieldType.MultiField),
            new LeadFieldDefinition("WEB", "Web", LeadFieldType.MultiField),
            new LeadFieldDefinition("IM", "Im", LeadFieldType.MultiField),
            new LeadFieldDefinition("LINK", "Link", LeadFieldType.MultiField),
            new LeadFieldDefinition("ORIGINATOR_ID", "OriginatorId", LeadFieldType.String),
            new LeadFieldDefinition("ORIGIN_ID", "OriginId", LeadFieldType.String),
            new LeadFieldDefinition("UTM_SOURCE", "UtmSource", LeadFieldType.String),
            new LeadFieldDefinition("UTM_MEDIUM", "UtmMedium", LeadFieldType.String),
            new LeadFieldDefinition("UTM_CAMPAIGN", "UtmCampaign", LeadFieldType.String),
            new LeadFieldDefinition("UTM_CONTENT", "UtmContent", LeadFieldType.String),
            new LeadFieldDefinition("UTM_TERM", "UtmTerm", LeadFieldType.String),
            // Maintained by the portal: readable, never written.
            new LeadFieldDefinition("IS_RETURN_CUSTOMER", "IsReturnCustomer", LeadFieldType.Char, readOnly: true),
            new LeadFieldDefinition("STATUS_SEMANTIC_ID", "StatusSemanticId", LeadFieldType.String, readOnly: true),
            new LeadFieldDefinition("CREATED_BY_ID", "CreatedById", LeadFieldType.User, readOnly: true),
            new LeadFieldDefinition("MODIFY_BY_ID", "ModifyById", LeadFieldType.User, readOnly: true),
            new LeadFieldDefinition("MOVED_BY_ID", "MovedById", LeadFieldType.User, readOnly: true),
            new LeadFieldDefinition("DATE_CREATE", "DateCreate", LeadFieldType.DateTime, readOnly: true),
            new LeadFieldDefinition("DATE_MODIFY", "DateModify", LeadFieldType.DateTime, readOnly: true),
            new LeadFieldDefinition("DATE_CLOSED", "DateClosed", LeadFieldType.DateTime, readOnly: true),
            new LeadFieldDefinition("MOVED_TIME", "MovedTime", LeadFieldType.DateTime, readOnly: true),
            new LeadFieldDefinition("LAST_ACTIVITY_TIME", "LastActivityTime", LeadFieldType.DateTime, readOnly: true),
            new LeadFieldDefinition("LAST_ACTIVITY_BY", "LastActivityBy", LeadFieldType.User, readOnly: true),
            new LeadFieldDefinition("ADDRESS_LOC_ADDR_ID", "AddressLocAddrId", LeadFieldType.Integer, readOnly: true),
        };

        private static readonly Dictionary<string, LeadFieldDefinition> ByName = BuildIndex();

        public static IReadOnlyList<LeadFieldDefinition> All => Fields;

        /// <summary>The multi-field names: lists of {ID, VALUE, VALUE_TYPE}.</summary>
        public static readonly string[] MultiFieldNames = { "PHONE", "EMAIL", "WEB", "IM", "LINK" };

        /// <summary>The address parts the docs ask to send as a complete set.</summary>
        public static IEnumerable<LeadFieldDefinition> AddressParts => Fields.Where(f => f.IsAddressPart && !f.IsReadOnly);

        /// <summary>The API names of <see cref="AddressParts"/>.</summary>
        public static readonly IReadOnlyList<string> AddressPartNames = AddressParts.Select(f => f.ApiName).ToArray();

        private static Dictionary<string, LeadFieldDefinition> BuildIndex()
        {
            var index = new Dictionary<string, LeadFieldDefinition>(StringComparer.OrdinalIgnoreCase);
            foreach (var field in Fields)
            {
                index[field.ApiName] = field;
                index[field.ParameterName] = field;
            }
            return index;
        }

        /// <summary>Finds a field by its API name or its parameter name, ignoring case.</summary>
        public static LeadFieldDefinition Find(string name) =>
            name != null && ByName.TryGetValue(name, out var field) ? field : null;

        public static bool IsCustomFieldName(string name) =>
            name != null && name.StartsWith("UF_", StringComparison.OrdinalIgnoreCase);

        /// <summary>Up to <paramref name="count"/> known names closest to <paramref name="name"/>, best first.</summary>
        public static IList<string> ClosestNames(string name, IEnumerable<string> extraNames = null, int count = 2)
        {
            var candidates = Fields.Where(f => !f.IsReadOnly).Select(f => f.ApiName);
            if (extraNames != null) candidates = candidates.Concat(extraNames);
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
