using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>What crm.lead.fields answers: the portal's description of each lead field.</summary>
    internal sealed class EmulatedField
    {
        public EmulatedField(string name, string type, bool readOnly = false, bool multiple = false, string title = null, params string[] items)
        {
            Items = items;
            Name = name;
            Type = type;
            ReadOnly = readOnly;
            Multiple = multiple;
            Title = title ?? name;
        }

        public string Name { get; }
        /// <summary>integer, string, char, double, date, datetime, crm_status, crm_currency, user,
        /// crm_company, crm_contact, crm_multifield, or a custom type.</summary>
        public string Type { get; }
        public bool ReadOnly { get; }
        public bool Multiple { get; }
        public string Title { get; }
        /// <summary>Enumeration items (ID = position from 1, VALUE = label).</summary>
        public string[] Items { get; }
        public bool IsCustom => Name.StartsWith("UF_");
        public bool IsMultiField => Type == "crm_multifield";

        public JObject Describe()
        {
            var d = new JObject
            {
                ["type"] = Type,
                ["isRequired"] = Name == "TITLE" ? false : false,
                ["isReadOnly"] = ReadOnly,
                ["isImmutable"] = false,
                ["isMultiple"] = Multiple,
                ["isDynamic"] = IsCustom,
                ["title"] = Title,
            };
            if (IsCustom) { d["listLabel"] = Title; d["formLabel"] = Title; d["filterLabel"] = Title; }
            if (Items != null && Items.Length > 0)
                d["items"] = new JArray(Items.Select((label, i) => new JObject { ["ID"] = (i + 1).ToString(), ["VALUE"] = label }));
            return d;
        }
    }

    internal static class LeadFieldSchema
    {
        public static readonly string[] AddressParts =
        {
            "ADDRESS", "ADDRESS_2", "ADDRESS_CITY", "ADDRESS_POSTAL_CODE", "ADDRESS_REGION",
            "ADDRESS_PROVINCE", "ADDRESS_COUNTRY", "ADDRESS_COUNTRY_CODE",
        };

        public static List<EmulatedField> Standard()
        {
            var fields = new List<EmulatedField>
            {
                new EmulatedField("ID", "integer", readOnly: true),
                new EmulatedField("TITLE", "string"),
                new EmulatedField("HONORIFIC", "crm_status"),
                new EmulatedField("NAME", "string"),
                new EmulatedField("SECOND_NAME", "string"),
                new EmulatedField("LAST_NAME", "string"),
                new EmulatedField("BIRTHDATE", "date"),
                new EmulatedField("COMPANY_TITLE", "string"),
                new EmulatedField("SOURCE_ID", "crm_status"),
                new EmulatedField("SOURCE_DESCRIPTION", "string"),
                new EmulatedField("STATUS_ID", "crm_status"),
                new EmulatedField("STATUS_DESCRIPTION", "string"),
                new EmulatedField("STATUS_SEMANTIC_ID", "string", readOnly: true),
                new EmulatedField("POST", "string"),
                new EmulatedField("COMMENTS", "string"),
                new EmulatedField("CURRENCY_ID", "crm_currency"),
                new EmulatedField("OPPORTUNITY", "double"),
                new EmulatedField("IS_MANUAL_OPPORTUNITY", "char"),
                new EmulatedField("OPENED", "char"),
                new EmulatedField("ASSIGNED_BY_ID", "user"),
                new EmulatedField("CREATED_BY_ID", "user", readOnly: true),
                new EmulatedField("MODIFY_BY_ID", "user", readOnly: true),
                new EmulatedField("DATE_CREATE", "datetime", readOnly: true),
                new EmulatedField("DATE_MODIFY", "datetime", readOnly: true),
                new EmulatedField("DATE_CLOSED", "datetime", readOnly: true),
                new EmulatedField("COMPANY_ID", "crm_company"),
                new EmulatedField("CONTACT_ID", "crm_contact"),
                new EmulatedField("CONTACT_IDS", "crm_contact", multiple: true),
                new EmulatedField("IS_RETURN_CUSTOMER", "char", readOnly: true),
                new EmulatedField("ORIGINATOR_ID", "string"),
                new EmulatedField("ORIGIN_ID", "string"),
                new EmulatedField("UTM_SOURCE", "string"),
                new EmulatedField("UTM_MEDIUM", "string"),
                new EmulatedField("UTM_CAMPAIGN", "string"),
                new EmulatedField("UTM_CONTENT", "string"),
                new EmulatedField("UTM_TERM", "string"),
            };
            fields.AddRange(AddressParts.Select(a => new EmulatedField(a, "string")));
            fields.AddRange(new[] { "PHONE", "EMAIL", "WEB", "IM", "LINK" }.Select(m => new EmulatedField(m, "crm_multifield", multiple: true)));
            // Custom fields of the demo portal.
            fields.Add(new EmulatedField("UF_CRM_SCORE", "integer", title: "Score"));
            fields.Add(new EmulatedField("UF_CRM_NOTE", "string", title: "Note"));
            fields.Add(new EmulatedField("UF_CRM_RATING", "double", title: "Rating"));
            fields.Add(new EmulatedField("UF_CRM_VIP", "boolean", title: "VIP"));
            fields.Add(new EmulatedField("UF_CRM_VISIT", "date", title: "Visit date"));
            fields.Add(new EmulatedField("UF_CRM_CALLBACK", "datetime", title: "Call back at"));
            fields.Add(new EmulatedField("UF_CRM_SEGMENT", "enumeration", title: "Segment", items: new[] { "Retail", "Wholesale", "Partner" }));
            fields.Add(new EmulatedField("UF_CRM_BUDGET", "money", title: "Budget"));
            fields.Add(new EmulatedField("UF_CRM_TAGS", "string", multiple: true, title: "Tags"));
            fields.Add(new EmulatedField("UF_CRM_CONTRACT", "file", title: "Contract"));
            return fields;
        }
    }
}
