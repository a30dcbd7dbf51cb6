using System.Linq;

namespace Bitrix24.Rest.Crm
{
    public sealed partial class CrmEntity
    {
        /// <summary>Deals: crm.deal.* (api-reference/crm/deals), entityTypeId 2. They live in pipelines
        /// (CATEGORY_ID), each with its own stages; no multi-fields, no address.</summary>
        public static readonly CrmEntity Deal = CreateDeal();

        private static CrmEntity CreateDeal()
        {
            // In the order of crm-deal-update.md's example, so that example goes out as written.
            var fields = new[]
            {
                ReadOnly("ID", "Id", CrmFieldType.Integer),
                F("TITLE", "Title", CrmFieldType.String),
                F("TYPE_ID", "TypeId", CrmFieldType.Status),
                F("STAGE_ID", "StageId", CrmFieldType.Status),
                F("IS_RECURRING", "IsRecurring", CrmFieldType.Char),
                F("IS_RETURN_CUSTOMER", "IsReturnCustomer", CrmFieldType.Char),
                F("IS_REPEATED_APPROACH", "IsRepeatedApproach", CrmFieldType.Char),
                F("PROBABILITY", "Probability", CrmFieldType.Integer),
                F("CURRENCY_ID", "CurrencyId", CrmFieldType.Currency),
                F("OPPORTUNITY", "Opportunity", CrmFieldType.Double),
                F("IS_MANUAL_OPPORTUNITY", "IsManualOpportunity", CrmFieldType.Char),
                F("TAX_VALUE", "TaxValue", CrmFieldType.Double),
                F("ASSIGNED_BY_ID", "AssignedById", CrmFieldType.User),
                F("CATEGORY_ID", "CategoryId", CrmFieldType.Integer),
                F("COMPANY_ID", "CompanyId", CrmFieldType.Company),
                F("CONTACT_ID", "ContactId", CrmFieldType.Contact),
                F("CONTACT_IDS", "ContactIds", CrmFieldType.IdList),
                F("BEGINDATE", "BeginDate", CrmFieldType.Date),
                F("CLOSEDATE", "CloseDate", CrmFieldType.Date),
                F("OPENED", "Opened", CrmFieldType.Char),
                F("CLOSED", "Closed", CrmFieldType.Char),
                F("COMMENTS", "Comments", CrmFieldType.String),
                F("SOURCE_ID", "SourceId", CrmFieldType.Status),
                F("SOURCE_DESCRIPTION", "SourceDescription", CrmFieldType.String),
                F("ADDITIONAL_INFO", "AdditionalInfo", CrmFieldType.String),
                F("ORIGINATOR_ID", "OriginatorId", CrmFieldType.String),
                F("ORIGIN_ID", "OriginId", CrmFieldType.String),
            }
            .Concat(UtmDefinitions())
            .Concat(new[]
            {
                ReadOnly("STAGE_SEMANTIC_ID", "StageSemanticId", CrmFieldType.String),
                ReadOnly("IS_NEW", "IsNew", CrmFieldType.Char),
                ReadOnly("LEAD_ID", "LeadId", CrmFieldType.Integer),
                ReadOnly("QUOTE_ID", "QuoteId", CrmFieldType.Integer),
                ReadOnly("LOCATION_ID", "LocationId", CrmFieldType.String, "is a system field the portal keeps; the docs do not let it be set."),
                ReadOnly("MOVED_BY_ID", "MovedById", CrmFieldType.User),
                ReadOnly("MOVED_TIME", "MovedTime", CrmFieldType.DateTime),
            })
            .Concat(SystemDefinitions())
            .ToArray();

            var deal = new CrmEntity("Deal", "deal", 2, fields)
            {
                Directories = Map(("TYPE_ID", "DEAL_TYPE"), ("SOURCE_ID", "SOURCE"), ("CURRENCY_ID", "CURRENCY")),
                StageField = "STAGE_ID",
                PipelineField = "CATEGORY_ID",
                HasHistoryEvent = true,
                Links = LinkTo("Contact", new CrmLink("crm.deal.contact.items", "CONTACT_ID", "CONTACT_IDS", "CONTACT_ID")),
            };
            deal.ItemNames(CommonItemNames);
            deal.ItemNames(("BEGINDATE", "begindate"), ("CLOSEDATE", "closedate"));
            return deal;
        }
    }
}
