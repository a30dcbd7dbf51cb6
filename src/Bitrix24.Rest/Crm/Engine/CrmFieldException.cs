using System;

namespace Bitrix24.Rest.Crm
{
    /// <summary>A value or field name refused before anything was sent. Names the field, and the record
    /// (Lead 5, Deal 12) once the caller knows it.</summary>
    public sealed class CrmFieldException : Exception
    {
        public CrmFieldException(string field, string problem, int? recordId = null, string entityName = null)
            : base(Compose(field, problem, recordId, entityName))
        {
            Field = field;
            Problem = problem;
            RecordId = recordId;
            EntityName = entityName;
        }

        public string Field { get; }
        public string Problem { get; }
        public int? RecordId { get; }
        /// <summary>Lead, Deal, Contact, Company.</summary>
        public string EntityName { get; }

        /// <summary>The same refusal naming record <paramref name="recordId"/> of <paramref name="entity"/> (null: a new
        /// record), and the field as the entity shows it (a smart process's ufCrm5_Amount, not UF_CRM_5_AMOUNT).</summary>
        public CrmFieldException ForRecord(CrmEntity entity, int? recordId)
        {
            var field = Field == null ? null : entity.DisplayName(Field);
            return RecordId == recordId && EntityName == entity.Name && field == Field ? this : new CrmFieldException(field, Problem, recordId, entity.Name);
        }

        private static string Compose(string field, string problem, int? recordId, string entityName)
        {
            var record = recordId.HasValue ? $"{entityName} {recordId}: " : "";
            return string.IsNullOrEmpty(field) ? record + problem : $"{record}field {field}: {problem}";
        }
    }
}
