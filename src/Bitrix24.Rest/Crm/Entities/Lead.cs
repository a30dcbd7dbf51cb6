using System.Linq;

namespace Bitrix24.Rest.Crm
{
    public sealed partial class CrmEntity
    {
        /// <summary>Leads: crm.lead.* (api-reference/crm/leads), entityTypeId 1.</summary>
        public static readonly CrmEntity Lead = CreateLead();

        private static CrmEntity CreateLead()
        {
            var fields = new[]
            {
                ReadOnly("ID", "Id", CrmFieldType.Integer),
                // crm-lead-update.md's example fields first, in its order, so that example goes out as written.
                F("TITLE", "Title", CrmFieldType.String),
                F("NAME", "Name", CrmFieldType.String),
                F("SECOND_NAME", "SecondName", CrmFieldType.String),
                F("LAST_NAME", "LastName", CrmFieldType.String),
                F("STATUS_ID", "StatusId", CrmFieldType.Status),
                F("OPENED", "Opened", CrmFieldType.Char),
                F("ASSIGNED_BY_ID", "AssignedById", CrmFieldType.User),
                F("CURRENCY_ID", "CurrencyId", CrmFieldType.Currency),
                F("OPPORTUNITY", "Opportunity", CrmFieldType.Double),
                F("HONORIFIC", "Honorific", CrmFieldType.Status),
                F("BIRTHDATE", "Birthdate", CrmFieldType.Date),
                F("COMPANY_TITLE", "CompanyTitle", CrmFieldType.String),
                F("SOURCE_ID", "SourceId", CrmFieldType.Status),
                F("SOURCE_DESCRIPTION", "SourceDescription", CrmFieldType.String),
                F("STATUS_DESCRIPTION", "StatusDescription", CrmFieldType.String),
                F("POST", "Post", CrmFieldType.String),
                F("COMMENTS", "Comments", CrmFieldType.String),
                F("IS_MANUAL_OPPORTUNITY", "IsManualOpportunity", CrmFieldType.Char),
                F("COMPANY_ID", "CompanyId", CrmFieldType.Company),
                F("CONTACT_ID", "ContactId", CrmFieldType.Contact),
                F("CONTACT_IDS", "ContactIds", CrmFieldType.IdList),
            }
            .Concat(AddressDefinitions())
            .Concat(MultiFieldDefinitions())
            .Concat(new[] { F("ORIGINATOR_ID", "OriginatorId", CrmFieldType.String), F("ORIGIN_ID", "OriginId", CrmFieldType.String) })
            .Concat(UtmDefinitions())
            .Concat(new[]
            {
                ReadOnly("IS_RETURN_CUSTOMER", "IsReturnCustomer", CrmFieldType.Char,
                         "cannot be set; the portal sets it to Y when COMPANY_ID or CONTACT_ID is given."),
                ReadOnly("STATUS_SEMANTIC_ID", "StatusSemanticId", CrmFieldType.String),
                ReadOnly("MOVED_BY_ID", "MovedById", CrmFieldType.User),
                ReadOnly("DATE_CLOSED", "DateClosed", CrmFieldType.DateTime),
                ReadOnly("MOVED_TIME", "MovedTime", CrmFieldType.DateTime),
                ReadOnly("ADDRESS_LOC_ADDR_ID", "AddressLocAddrId", CrmFieldType.Integer),
            })
            .Concat(SystemDefinitions())
            .ToArray();

            var lead = new CrmEntity("Lead", "lead", 1, fields)
            {
                MultiFieldNames = StandardMultiFields,
                AddressPartNames = StandardAddress,
                Directories = Map(("STATUS_ID", "STATUS"), ("SOURCE_ID", "SOURCE"), ("HONORIFIC", "HONORIFIC"), ("CURRENCY_ID", "CURRENCY")),
                Links = LinkTo("Contact", new CrmLink("crm.lead.contact.items", "CONTACT_ID", "CONTACT_IDS", "CONTACT_ID")),
                NotOnItemRoute = StandardAddress.Concat(new[] { "ADDRESS_LOC_ADDR_ID" }).ToArray(),
            };
            lead.ItemNames(CommonItemNames);
            lead.ItemNames(("STATUS_ID", "stageId"), ("STATUS_SEMANTIC_ID", "stageSemanticId"), ("DATE_CLOSED", "closedate"));
            return lead;
        }
    }
}
