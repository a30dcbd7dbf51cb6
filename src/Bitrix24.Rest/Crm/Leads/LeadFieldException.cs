using System;

namespace Bitrix24.Rest.Crm.Leads
{
    /// <summary>A value or field name refused before anything was sent. Names the field, and the lead
    /// once the caller knows it.</summary>
    public sealed class LeadFieldException : Exception
    {
        public LeadFieldException(string field, string problem, int? leadId = null)
            : base(Compose(field, problem, leadId))
        {
            Field = field;
            Problem = problem;
            LeadId = leadId;
        }

        public string Field { get; }
        public string Problem { get; }
        public int? LeadId { get; }

        public LeadFieldException ForLead(int leadId) => LeadId == leadId ? this : new LeadFieldException(Field, Problem, leadId);

        private static string Compose(string field, string problem, int? leadId)
        {
            var lead = leadId.HasValue ? $"Lead {leadId}: " : "";
            return string.IsNullOrEmpty(field) ? lead + problem : $"{lead}field {field}: {problem}";
        }
    }
}
