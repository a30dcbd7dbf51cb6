// The namespaces every scenario file uses, once for the project.
global using Bitrix24.Emulator;
global using Bitrix24.Emulator.Server;
global using Bitrix24.Rest.Batch;
global using Newtonsoft.Json;
global using Newtonsoft.Json.Linq;
global using System;
global using System.Collections;
global using System.Collections.Generic;
global using System.Diagnostics;
global using System.IO;
global using System.Linq;
global using System.Management.Automation;
global using System.Management.Automation.Runspaces;
global using System.Net.Http;
global using System.Text;
global using System.Threading;
global using System.Threading.Tasks;
