using OpenModelClient.Doctor;

return await DoctorCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
