using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>What crm.&lt;entity&gt;.fields answers for one field.</summary>
    internal sealed class EmulatedField
    {
        public EmulatedField(string name, string type, bool readOnly = false, bool multiple = false, string title = null, bool immutable = false, params string[] items)
        {
            Items = items;
            Immutable = immutable;
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
        /// <summary>isImmutable: taken by add, ignored by the entity's own update (crm/deals/crm-deal-fields.md: CATEGORY_ID).</summary>
        public bool Immutable { get; set; }
        public bool Multiple { get; }
        public string Title { get; }
        /// <summary>Enumeration items (ID = position from 1, VALUE = label).</summary>
        public string[] Items { get; }
        public bool IsCustom => Name.StartsWith("UF_") || Name.StartsWith("PARENT_ID_");
        public bool IsMultiField => Type == "crm_multifield";
        /// <summary>A list of ids (CONTACT_IDS, COMPANY_IDS, a company's CONTACT_ID).</summary>
        public bool IsList => Multiple && !IsCustom && !IsMultiField;

        /// <param name="immutable">What isImmutable says on this route: crm.item.update moves a deal to another
        /// pipeline (crm/deals/crm-deal-update.md), so crm.item.fields does not mark categoryId (universal/crm-item-fields.md).</param>
        public JObject Describe(bool? immutable = null)
        {
            var d = new JObject
            {
                ["type"] = Type,
                ["isRequired"] = false,
                ["isReadOnly"] = ReadOnly,
                ["isImmutable"] = immutable ?? Immutable,
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

    /// <summary>A link list (a deal's contacts): crm.&lt;entity&gt;.&lt;other&gt;.items.get|set.</summary>
    internal sealed class EmulatedLink
    {
        public EmulatedLink(string idKey, string listField, string primaryField)
        {
            IdKey = idKey;
            ListField = listField;
            PrimaryField = primaryField;
        }

        public string IdKey { get; }
        public string ListField { get; }
        public string PrimaryField { get; }
    }

    /// <summary>One entity of the emulated portal: its fields (as crm.&lt;entity&gt;.fields describes them), the
    /// values a new record starts with, and what its methods do beyond the common rules.</summary>
    internal sealed class EmulatedEntity
    {
        public string Name { get; private set; }
        /// <summary>"Lead is not found": how the update method names the entity.</summary>
        public string Title { get; private set; }
        public int EntityTypeId { get; private set; }
        public List<EmulatedField> Fields { get; private set; }
        public JObject Defaults { get; private set; }
        public string[] AddressParts { get; private set; } = new string[0];
        public string PipelineField { get; private set; }
        public string StageField { get; private set; }
        /// <summary>The semantic id (P, S, F) of a stage, kept in STAGE_SEMANTIC_ID.</summary>
        public Func<string, string> StageSemantics { get; private set; }
        public Dictionary<string, EmulatedLink> Links { get; private set; } = new Dictionary<string, EmulatedLink>();
        /// <summary>crm.item names that are not the camel-cased API name.</summary>
        public Dictionary<string, string> ItemNames { get; private set; } = new Dictionary<string, string>();
        /// <summary>A smart process: reached only through crm.item.*, its custom fields named ufCrm&lt;N&gt;_… there.</summary>
        public bool IsSmartProcess { get; private set; }
        /// <summary>crm.type.list: has its own pipelines (isCategoriesEnabled) and stages (isStagesEnabled).</summary>
        public bool HasCategories { get; private set; }
        /// <summary>crm.type.list isClientEnabled: items link to a company and contacts.</summary>
        public bool HasClients { get; private set; }
        /// <summary>The pipeline a stage id belongs to (deal C1:NEW is 1; a smart process's DT1032_8:NEW is 8).</summary>
        public Func<string, int> PipelineOfStage { get; private set; } = StatusDirectory.PipelineOf;
        /// <summary>The stage a record takes when it enters a pipeline.</summary>
        public Func<int, string> FirstStage { get; private set; } = StatusDirectory.FirstStage;

        public static readonly string[] StandardAddress =
        {
            "ADDRESS", "ADDRESS_2", "ADDRESS_CITY", "ADDRESS_POSTAL_CODE", "ADDRESS_REGION",
            "ADDRESS_PROVINCE", "ADDRESS_COUNTRY", "ADDRESS_COUNTRY_CODE",
        };

        public static readonly string[] MultiFields = { "PHONE", "EMAIL", "WEB", "IM", "LINK" };

        /// <summary>Where a company keeps its primary contact: not a field, so no method shows it but the link list.</summary>
        public const string HiddenPrimaryContact = "_PRIMARY_CONTACT";

        private static IEnumerable<EmulatedField> Strings(params string[] names) => names.Select(n => new EmulatedField(n, "string"));
        private static IEnumerable<EmulatedField> Utm() => Strings("UTM_SOURCE", "UTM_MEDIUM", "UTM_CAMPAIGN", "UTM_CONTENT", "UTM_TERM");
        private static IEnumerable<EmulatedField> Multi() => MultiFields.Select(m => new EmulatedField(m, "crm_multifield", multiple: true));
        private static readonly EmulatedField Id = new EmulatedField("ID", "integer", readOnly: true);

        /// <summary>What every entity has, after its own fields (crm.&lt;entity&gt;.fields lists them there too).</summary>
        private static IEnumerable<EmulatedField> System() => new[]
        {
            new EmulatedField("ASSIGNED_BY_ID", "user"),
            new EmulatedField("CREATED_BY_ID", "user", readOnly: true),
            new EmulatedField("MODIFY_BY_ID", "user", readOnly: true),
            new EmulatedField("DATE_CREATE", "datetime", readOnly: true),
            new EmulatedField("DATE_MODIFY", "datetime", readOnly: true),
            new EmulatedField("OPENED", "char"),
            new EmulatedField("COMMENTS", "string"),
            new EmulatedField("ORIGINATOR_ID", "string"),
            new EmulatedField("ORIGIN_ID", "string"),
            new EmulatedField("LAST_ACTIVITY_TIME", "datetime", readOnly: true),
            new EmulatedField("LAST_ACTIVITY_BY", "user", readOnly: true),
        };

        /// <summary>HAS_PHONE, HAS_EMAIL, HAS_IMOL: read-only flags the portal keeps from the multi-fields (crm-lead-fields.md,
        /// crm-contact-fields.md, crm-company-fields.md).</summary>
        private static IEnumerable<EmulatedField> HasFlags() => new[] { "HAS_PHONE", "HAS_EMAIL", "HAS_IMOL" }.Select(n => new EmulatedField(n, "char", readOnly: true));

        /// <summary>MOVED_BY_ID, MOVED_TIME: who moved the record to its stage and when (crm-lead-fields.md, crm-deal-fields.md).</summary>
        private static IEnumerable<EmulatedField> Moved() => new[] { new EmulatedField("MOVED_BY_ID", "user", readOnly: true), new EmulatedField("MOVED_TIME", "datetime", readOnly: true) };

        private static readonly Dictionary<string, string> CommonItemNames = new Dictionary<string, string>
        {
            ["CREATED_BY_ID"] = "createdBy", ["MODIFY_BY_ID"] = "updatedBy", ["DATE_CREATE"] = "createdTime", ["DATE_MODIFY"] = "updatedTime",
            ["MOVED_BY_ID"] = "movedBy",
        };

        private static Dictionary<string, string> Names(params (string, string)[] extra)
        {
            var names = new Dictionary<string, string>(CommonItemNames);
            foreach (var (upper, camel) in extra) names[upper] = camel;
            return names;
        }

        public static EmulatedEntity Lead() => new EmulatedEntity
        {
            Name = "lead", Title = "Lead", EntityTypeId = 1,
            Fields = new[]
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
                new EmulatedField("LAST_ACTIVITY_TIME", "datetime", readOnly: true),
                new EmulatedField("LAST_ACTIVITY_BY", "user", readOnly: true),
            }
            .Concat(HasFlags()).Concat(Moved()).Concat(Utm()).Concat(Strings(StandardAddress)).Concat(Multi())
            .Concat(new[]
            {
                // Custom fields of the demo portal.
                new EmulatedField("UF_CRM_SCORE", "integer", title: "Score"),
                new EmulatedField("UF_CRM_NOTE", "string", title: "Note"),
                new EmulatedField("UF_CRM_RATING", "double", title: "Rating"),
                new EmulatedField("UF_CRM_VIP", "boolean", title: "VIP"),
                new EmulatedField("UF_CRM_VISIT", "date", title: "Visit date"),
                new EmulatedField("UF_CRM_CALLBACK", "datetime", title: "Call back at"),
                new EmulatedField("UF_CRM_SEGMENT", "enumeration", title: "Segment", items: new[] { "Retail", "Wholesale", "Partner" }),
                new EmulatedField("UF_CRM_BUDGET", "money", title: "Budget"),
                new EmulatedField("UF_CRM_TAGS", "string", multiple: true, title: "Tags"),
                new EmulatedField("UF_CRM_CONTRACT", "file", title: "Contract"),
            }).ToList(),
            Defaults = new JObject
            {
                ["TITLE"] = "", ["STATUS_ID"] = "NEW", ["STATUS_SEMANTIC_ID"] = "P", ["SOURCE_ID"] = "CALL", ["OPENED"] = "Y",
                ["IS_MANUAL_OPPORTUNITY"] = "N", ["IS_RETURN_CUSTOMER"] = "N", ["OPPORTUNITY"] = "0.00", ["CURRENCY_ID"] = "USD",
            },
            AddressParts = StandardAddress,
            Links = { ["contact"] = new EmulatedLink("CONTACT_ID", "CONTACT_IDS", "CONTACT_ID") },
            ItemNames = Names(("STATUS_ID", "stageId"), ("STATUS_SEMANTIC_ID", "stageSemanticId"), ("DATE_CLOSED", "closedate")),
        };

        public static EmulatedEntity Deal() => new EmulatedEntity
        {
            Name = "deal", Title = "Deal", EntityTypeId = 2,
            Fields = new[] { Id }.Concat(new[]
            {
                new EmulatedField("TITLE", "string"),
                new EmulatedField("TYPE_ID", "crm_status"),
                new EmulatedField("CATEGORY_ID", "crm_category", immutable: true),   // crm/deals/crm-deal-fields.md
                new EmulatedField("STAGE_ID", "crm_status"),
                new EmulatedField("STAGE_SEMANTIC_ID", "string", readOnly: true),
                new EmulatedField("IS_NEW", "char", readOnly: true),
                new EmulatedField("IS_RECURRING", "char"),
                new EmulatedField("IS_RETURN_CUSTOMER", "char"),
                new EmulatedField("IS_REPEATED_APPROACH", "char"),
                new EmulatedField("PROBABILITY", "integer"),
                new EmulatedField("CURRENCY_ID", "crm_currency"),
                new EmulatedField("OPPORTUNITY", "double"),
                new EmulatedField("IS_MANUAL_OPPORTUNITY", "char"),
                new EmulatedField("TAX_VALUE", "double"),
                new EmulatedField("COMPANY_ID", "crm_company"),
                new EmulatedField("CONTACT_ID", "crm_contact"),
                new EmulatedField("CONTACT_IDS", "crm_contact", multiple: true),
                new EmulatedField("BEGINDATE", "date"),
                new EmulatedField("CLOSEDATE", "date"),
                new EmulatedField("CLOSED", "char"),
                new EmulatedField("SOURCE_ID", "crm_status"),
                new EmulatedField("LEAD_ID", "crm_lead", readOnly: true),
                new EmulatedField("QUOTE_ID", "crm_quote", readOnly: true),
                new EmulatedField("UF_CRM_1725365197310", "string", title: "Delivery note"),
                new EmulatedField("UF_CRM_DEAL_PRIORITY", "enumeration", title: "Priority", items: new[] { "Low", "Normal", "High" }),
                new EmulatedField("PARENT_ID_1032", "crm_entity", title: "Contract"),
            })
            .Concat(Strings("SOURCE_DESCRIPTION", "ADDITIONAL_INFO")).Concat(Moved()).Concat(Utm()).Concat(System()).ToList(),
            Defaults = new JObject
            {
                ["TITLE"] = "", ["TYPE_ID"] = "SALE", ["CATEGORY_ID"] = "0", ["STAGE_ID"] = "NEW", ["STAGE_SEMANTIC_ID"] = "P", ["IS_NEW"] = "Y",
                ["IS_RECURRING"] = "N", ["IS_RETURN_CUSTOMER"] = "N", ["IS_REPEATED_APPROACH"] = "N", ["OPENED"] = "Y", ["CLOSED"] = "N",
                ["IS_MANUAL_OPPORTUNITY"] = "N", ["OPPORTUNITY"] = "0.00", ["CURRENCY_ID"] = "USD", ["PROBABILITY"] = null,
            },
            PipelineField = "CATEGORY_ID",
            StageField = "STAGE_ID",
            StageSemantics = stage => stage == null ? "P" : stage.EndsWith("WON", StringComparison.Ordinal) ? "S" : stage.EndsWith("LOSE", StringComparison.Ordinal) ? "F" : "P",
            Links = { ["contact"] = new EmulatedLink("CONTACT_ID", "CONTACT_IDS", "CONTACT_ID") },
            ItemNames = Names(("BEGINDATE", "begindate"), ("CLOSEDATE", "closedate")),
        };

        public static EmulatedEntity Contact() => new EmulatedEntity
        {
            Name = "contact", Title = "Contact", EntityTypeId = 3,
            Fields = new[] { Id, new EmulatedField("HONORIFIC", "crm_status") }.Concat(Strings("NAME", "SECOND_NAME", "LAST_NAME")).Concat(new[]
            {
                new EmulatedField("BIRTHDATE", "date"),
                new EmulatedField("TYPE_ID", "crm_status"),
                new EmulatedField("SOURCE_ID", "crm_status"),
                new EmulatedField("EXPORT", "char"),
                new EmulatedField("PHOTO", "file"),
                new EmulatedField("COMPANY_ID", "crm_company"),
                new EmulatedField("COMPANY_IDS", "crm_company", multiple: true),
                new EmulatedField("LEAD_ID", "crm_lead", readOnly: true),
                new EmulatedField("UF_CRM_1720697698689", "string", title: "Nickname"),
                new EmulatedField("PARENT_ID_1224", "crm_entity", title: "Project"),
            })
            .Concat(Strings("SOURCE_DESCRIPTION", "POST", "ORIGIN_VERSION"))
            .Concat(HasFlags()).Concat(Utm()).Concat(Strings(StandardAddress)).Concat(Multi()).Concat(System()).ToList(),
            Defaults = new JObject { ["NAME"] = "", ["TYPE_ID"] = "CLIENT", ["SOURCE_ID"] = "CALL", ["OPENED"] = "Y", ["EXPORT"] = "Y" },
            AddressParts = StandardAddress,
            Links = { ["company"] = new EmulatedLink("COMPANY_ID", "COMPANY_IDS", "COMPANY_ID") },
            ItemNames = Names(),
        };

        public static EmulatedEntity Company() => new EmulatedEntity
        {
            Name = "company", Title = "Company", EntityTypeId = 4,
            Fields = new[] { Id }.Concat(new[]
            {
                new EmulatedField("TITLE", "string"),
                new EmulatedField("COMPANY_TYPE", "crm_status"),
                new EmulatedField("INDUSTRY", "crm_status"),
                new EmulatedField("EMPLOYEES", "crm_status"),
                new EmulatedField("CURRENCY_ID", "crm_currency"),
                new EmulatedField("REVENUE", "double"),
                new EmulatedField("IS_MY_COMPANY", "char"),
                new EmulatedField("LOGO", "file"),
                new EmulatedField("CONTACT_ID", "crm_contact", multiple: true),
                new EmulatedField("LEAD_ID", "crm_lead", readOnly: true),
                new EmulatedField("UF_CRM_TAX_NUMBER", "string", title: "Tax number"),
            })
            .Concat(Strings("ORIGIN_VERSION")).Concat(HasFlags()).Concat(Utm()).Concat(Multi()).Concat(System()).ToList(),
            Defaults = new JObject
            {
                ["TITLE"] = "", ["COMPANY_TYPE"] = "CUSTOMER", ["INDUSTRY"] = "OTHER", ["EMPLOYEES"] = "EMPLOYEES_1", ["OPENED"] = "Y",
                ["CURRENCY_ID"] = "USD", ["REVENUE"] = "0.00", ["IS_MY_COMPANY"] = "N",
            },
            // A company's primary contact is kept apart (no field shows it): crm.company.contact.items.get gives IS_PRIMARY.
            Links = { ["contact"] = new EmulatedLink("CONTACT_ID", "CONTACT_ID", EmulatedEntity.HiddenPrimaryContact) },
            ItemNames = Names(("COMPANY_TYPE", "typeId"), ("CONTACT_ID", "contactIds")),
        };

        /// <summary>The demo portal's smart processes: 1032 Contracts (two pipelines) and 1036 Projects (one).</summary>
        public static IEnumerable<EmulatedEntity> SmartProcesses() => new[]
        {
            SmartProcess(1032, "Contracts", 5, StatusDirectory.SmartProcessPipelines(1032), clients: true, new[]
            {
                new EmulatedField("UF_CRM_5_AMOUNT", "double", title: "Amount"),
                new EmulatedField("UF_CRM_5_SIGNED_ON", "date", title: "Signed on"),
                new EmulatedField("UF_CRM_5_KIND", "enumeration", title: "Kind", items: new[] { "Service", "Supply", "Lease" }),
            }),
            SmartProcess(1036, "Projects", 6, StatusDirectory.SmartProcessPipelines(1036), clients: false, new[]
            {
                new EmulatedField("UF_CRM_6_BUDGET", "double", title: "Budget"),
                new EmulatedField("UF_CRM_6_CODE", "string", title: "Project code"),
            }),
        };

        /// <param name="clients">isClientEnabled: the type links to a company and contacts (companyId, contactId).</param>
        private static EmulatedEntity SmartProcess(int entityTypeId, string title, int ufNumber, (int Id, string Name)[] pipelines, bool clients, EmulatedField[] custom)
        {
            var first = pipelines[0].Id;
            var names = Names(("BEGINDATE", "begindate"), ("CLOSEDATE", "closedate"), ("MOVED_BY_ID", "movedBy"));
            // ufCrm<N>_<Name>: the spelling crm.item uses unless asked for the original UF_ names.
            var prefix = $"UF_CRM_{ufNumber}_";
            foreach (var field in custom)
                names[field.Name] = $"ufCrm{ufNumber}_" + string.Concat(field.Name.Substring(prefix.Length).Split('_')
                                        .Select(p => p.Substring(0, 1) + p.Substring(1).ToLowerInvariant()));
            return new EmulatedEntity
            {
                Name = "item" + entityTypeId, Title = title, EntityTypeId = entityTypeId, IsSmartProcess = true,
                HasCategories = pipelines.Length > 1, HasClients = clients,
                Fields = new[] { Id }.Concat(new[]
                {
                    new EmulatedField("TITLE", "string"),
                    new EmulatedField("CATEGORY_ID", "crm_category"),
                    new EmulatedField("STAGE_ID", "crm_status"),
                    new EmulatedField("CURRENCY_ID", "crm_currency"),
                    new EmulatedField("OPPORTUNITY", "double"),
                    new EmulatedField("IS_MANUAL_OPPORTUNITY", "char"),
                    new EmulatedField("BEGINDATE", "date"),
                    new EmulatedField("CLOSEDATE", "date"),
                    new EmulatedField("SOURCE_ID", "crm_status"),
                })
                .Concat(Moved())
                .Concat(clients ? new[] { new EmulatedField("COMPANY_ID", "crm_company"), new EmulatedField("CONTACT_ID", "crm_contact") } : new EmulatedField[0])
                .Concat(custom).Concat(System()).ToList(),
                Defaults = new JObject
                {
                    ["TITLE"] = "", ["CATEGORY_ID"] = first.ToString(), ["STAGE_ID"] = StatusDirectory.SmartProcessStage(entityTypeId, first, "NEW"),
                    ["OPENED"] = "Y", ["CURRENCY_ID"] = "USD", ["OPPORTUNITY"] = "0.00", ["IS_MANUAL_OPPORTUNITY"] = "N",
                },
                PipelineField = "CATEGORY_ID",
                StageField = "STAGE_ID",
                PipelineOfStage = StatusDirectory.PipelineOfSmartProcessStage,
                FirstStage = pipeline => StatusDirectory.SmartProcessStage(entityTypeId, pipeline, "NEW"),
                ItemNames = names,
            };
        }
    }
}
